"""Expand the paths a user gives (files, directories, globs, '-') and read each file's bytes."""
from __future__ import annotations

import glob
import gzip
import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from veille.errors import UsageError
from veille.sources.detect import is_gzip

STDIN = "-"
PEEK_BYTES = 65536  # enough to tell WARC, JSON Lines, HTML and text apart


class TooLarge(Exception):
    """A file or a decompressed stream is bigger than the limit."""


def expand_paths(paths: list[str]) -> Iterator[str]:
    """Yield every file named by paths: files as given, directories recursively, globs expanded."""
    for raw in paths:
        if raw == STDIN:
            yield STDIN
        elif os.path.isdir(raw):
            yield from _walk(raw)
        elif os.path.exists(raw):
            yield raw
        elif glob.has_magic(raw):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                raise UsageError(f"no file matches {raw!r}; check the pattern")
            for match in matches:
                yield from (_walk(match) if os.path.isdir(match) else [match])
        else:
            raise UsageError(f"{raw!r} does not exist; give files, directories, globs or '-' for stdin")


def _walk(directory: str) -> Iterator[str]:
    """Yield the files under a directory in a stable order, skipping hidden ones."""
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield os.path.join(root, name)


def open_stream(path: str) -> io.BufferedReader:
    """Open a file (or stdin) for buffered reading, transparently gunzipping gzip content."""
    raw = sys.stdin.buffer if path == STDIN else open(path, "rb", buffering=0)
    buffered = io.BufferedReader(raw, buffer_size=PEEK_BYTES)  # type: ignore[arg-type]
    if is_gzip(buffered.peek(2)[:2]):
        return io.BufferedReader(gzip.GzipFile(fileobj=buffered), buffer_size=PEEK_BYTES)  # type: ignore[arg-type]
    return buffered


def read_limited(stream: io.BufferedIOBase, limit: int) -> bytes:
    """Read a whole stream, refusing more than limit bytes (a gzip bomb stops at the limit)."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(f"larger than the limit of {limit} bytes (--max-bytes)")
    return data


def display_name(path: str) -> str:
    """Return the name a path is recorded under: as given, or '<stdin>'."""
    return "<stdin>" if path == STDIN else str(Path(path))
