"""WARC and WARC.gz (Common Crawl, CC-NEWS): one page per HTML response record."""
from __future__ import annotations

import io
from collections.abc import Iterator

from warcio.archiveiterator import ArchiveIterator

from veille.records import Page, Reject
from veille.sources.files import TooLarge, read_limited
from veille.sources.options import SourceOptions

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(stream: io.BufferedIOBase, name: str, options: SourceOptions) -> Iterator[Page | Reject]:
    """Yield a Page per HTML response record; a damaged archive ends in a Reject, earlier pages kept."""
    index = records = 0
    try:
        for record in ArchiveIterator(stream):
            records += 1
            if record.rec_type != "response" or not _is_html(record):
                continue
            index += 1
            yield _page_from_record(record, f"{name}#{index}", options)
    except TooLarge as error:  # a decompression bomb: the pages before it are kept
        yield Reject(f"{name}#{index + 1}", "too_large", f"{name}: after {index} pages: {error}")
        return
    except Exception as error:  # ArchiveLoadFailed, EOFError, OSError, and warcio's own failures on bad headers
        yield Reject(f"{name}#{index + 1}", "truncated_warc", f"{name}: archive damaged after {index} pages: {error}")
        return
    if not index:
        reason = "no_html_records" if records else "truncated_warc"
        yield Reject(name, reason, f"{name}: starts like a WARC but holds no HTML response record "
                                   f"({records} record(s) read)")


def _is_html(record) -> bool:
    """Say whether a response record carries an HTML page."""
    headers = record.http_headers
    content_type = (headers.get_header("Content-Type") if headers else "") or ""
    return content_type.split(";")[0].strip().lower() in _HTML_TYPES


def _page_from_record(record, source: str, options: SourceOptions) -> Page | Reject:
    """Read one response record into a Page, within the size limit."""
    try:
        body = read_limited(record.content_stream(), options.max_bytes)
    except TooLarge as error:
        return Reject(source, "too_large", f"{source}: record {error}")
    if getattr(record.raw_stream, "limit", 0) > 0:  # the archive ended inside this record
        return Reject(source, "truncated_warc", f"{source}: the archive ends inside this record")
    charset = _charset(record.http_headers.get_header("Content-Type") or "")
    return Page(
        source=source,
        content=body,
        format="html",
        url=record.rec_headers.get_header("WARC-Target-URI"),
        site=options.site,
        published=options.published,
        fetched=record.rec_headers.get_header("WARC-Date"),
        meta={"charset": charset} if charset else {},
    )


def _charset(content_type: str) -> str | None:
    """Return the charset named in a Content-Type header, if any."""
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'").lower()
    return None
