"""Sources: read files, directories, globs and stdin as Page records, streaming.

One module per input format (warc, jsonl; single files in files.py); detect.py tells
them apart from content, never from file names.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

from veille.records import Page, Reject
from veille.sources.detect import sniff
from veille.sources.files import PEEK_BYTES, TooLarge, display_name, expand_paths, open_stream, read_limited
from veille.sources.jsonl import read_jsonl
from veille.sources.options import SourceOptions
from veille.sources.warc import read_warc

__all__ = ["SourceOptions", "read_file", "read_pages"]


def read_pages(paths: list[str], options: SourceOptions = SourceOptions()) -> Iterator[Page | Reject]:
    """Yield a Page (or a Reject) for every page in the given paths, in order."""
    for path in expand_paths(paths):
        yield from read_file(path, options)


def read_file(path: str, options: SourceOptions = SourceOptions()) -> Iterator[Page | Reject]:
    """Yield the pages of one file, whatever its format."""
    name = display_name(path)
    with ExitStack() as closing:
        try:
            stream = open_stream(path, closing)
        except FileNotFoundError:
            yield Reject(name, "not_found", f"{name}: no such file (nor files matching it)")
            return
        except OSError as error:
            yield Reject(name, "unreadable", f"{name}: {error.strerror or error}")
            return
        yield from _read_stream(stream, name, options)


def _read_stream(stream, name: str, options: SourceOptions) -> Iterator[Page | Reject]:
    """Dispatch an open stream to the reader of its format."""
    try:
        kind = sniff(stream.peek(PEEK_BYTES)[:PEEK_BYTES])  # peek returns what one buffer fill holds
    except (OSError, EOFError) as error:
        yield Reject(name, "undecodable", f"{name}: cannot be read: {error}")
        return
    if kind == "warc":
        yield from read_warc(stream, name, options)
    elif kind == "jsonl" and options.as_format == "auto":
        yield from read_jsonl(stream, name, options)
    elif kind == "binary" and options.as_format == "auto":
        yield Reject(name, "not_text", f"{name}: binary content (no text or HTML found in its first bytes)")
    else:
        yield _single_page(stream, name, kind, options)


def _single_page(stream, name: str, kind: str, options: SourceOptions) -> Page | Reject:
    """Read a file holding one page (HTML or text) within the size limit."""
    try:
        content = read_limited(stream, options.max_bytes)
    except TooLarge as error:
        return Reject(name, "too_large", f"{name}: {error}")
    except (OSError, EOFError) as error:
        return Reject(name, "undecodable", f"{name}: truncated or damaged: {error}")
    forced = options.as_format
    page_format = forced if forced != "auto" else ("html" if kind == "html" else options.text_format())
    return Page(source=name, content=content, format=page_format, url=options.url,
                site=options.site, published=options.published)
