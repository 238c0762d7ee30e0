"""JSON Lines: one page per line, {"url", "html" | "text", "published"?, "site"?}."""
from __future__ import annotations

import io
import json
from collections.abc import Iterator

from veille.records import Page, Reject, content_id
from veille.sources.files import TooLarge
from veille.sources.options import SourceOptions


def read_jsonl(stream: io.BufferedIOBase, name: str, options: SourceOptions) -> Iterator[Page | Reject]:
    """Yield a Page per line; a line that is not a usable record becomes a Reject, and so does a damaged end."""
    try:
        yield from _read_lines(stream, name, options)
    except TooLarge as error:
        yield Reject(name, "too_large", f"{name}: {error}")
    except (OSError, EOFError) as error:  # a truncated or damaged gzip layer: the lines before it are kept
        yield Reject(name, "undecodable", f"{name}: truncated or damaged: {error}")


def _read_lines(stream: io.BufferedIOBase, name: str, options: SourceOptions) -> Iterator[Page | Reject]:
    """Yield a Page or a Reject per non-blank line."""
    number = 0
    while raw := stream.readline(options.max_bytes + 1):
        number += 1
        source = f"{name}:{number}"
        if len(raw) > options.max_bytes:
            _skip_rest_of_line(stream, raw)
            yield Reject(source, "too_large", f"{source}: line larger than the limit of {options.max_bytes} bytes")
        elif raw.strip():
            yield _page_from_line(raw, source, options)


def _skip_rest_of_line(stream: io.BufferedIOBase, read: bytes) -> None:
    """Read past the end of an over-long line without keeping it in memory."""
    chunk = read
    while chunk and not chunk.endswith(b"\n"):
        chunk = stream.readline(1 << 20)


def _page_from_line(raw: bytes, source: str, options: SourceOptions) -> Page | Reject:
    """Parse one line into a Page, or say why it cannot be one (the reject's id is the line's hash)."""
    line_id = content_id(raw.rstrip(b"\r\n"))
    try:
        record = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        return Reject(source, "bad_json", f"{source}: not a JSON object: {error}", id=line_id)
    if not isinstance(record, dict):
        return Reject(source, "bad_json", f"{source}: a JSON {type(record).__name__}, not an object", id=line_id)
    html, text = record.get("html"), record.get("text")
    content = html if isinstance(html, str) and html.strip() else text
    if not isinstance(content, str) or not content.strip():
        return Reject(source, "empty_input", f"{source}: no 'html' or 'text' string in the record", id=line_id)
    page_format = "html" if content is html else _text_format(record, options)
    return Page(
        source=source,
        content=content,
        format=page_format,
        url=_string(record.get("url")),
        site=options.site or _string(record.get("site")),
        published=options.published or _string(record.get("published")),
        fetched=_string(record.get("fetched")),
    )


def _text_format(record: dict, options: SourceOptions) -> str:
    """Return 'article' when the record or the user says its text is already clean, else 'dump'."""
    return "article" if record.get("format") == "article" else options.text_format()


def _string(value: object) -> str | None:
    """Return a value if it is a non-empty string, else None."""
    return value if isinstance(value, str) and value.strip() else None
