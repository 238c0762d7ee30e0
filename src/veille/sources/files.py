"""Expand the paths a user gives (files, directories, globs, '-') and read each file's bytes."""
from __future__ import annotations

import glob
import gzip
import io
import os
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

from veille.sources.detect import is_gzip

STDIN = "-"
PEEK_BYTES = 65536  # enough to tell WARC, JSON Lines, HTML and text apart


class TooLarge(Exception):
    """A file or a decompressed stream is bigger than the limit."""


def expand_paths(paths: list[str]) -> Iterator[str]:
    """Yield every file named by paths: files as given, directories recursively, globs expanded.

    A path that names nothing is yielded as it is: reading it fails, and that failure
    is a reject like any other, so the rest of the run goes on.
    """
    for raw in paths:
        if os.path.isdir(raw):
            yield from _walk(raw)
        elif raw != STDIN and not os.path.exists(raw) and glob.has_magic(raw):
            matches = sorted(glob.glob(raw, recursive=True))
            for match in matches:
                yield from (_walk(match) if os.path.isdir(match) else [match])
            if not matches:
                yield raw
        else:
            yield raw


def _walk(directory: str) -> Iterator[str]:
    """Yield the files under a directory in a stable order, skipping hidden ones."""
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield os.path.join(root, name)


def open_stream(path: str, closing: ExitStack) -> io.BufferedReader:
    """Open a file (or stdin) for buffered reading, gunzipping gzip content; closing closes every layer."""
    raw = sys.stdin.buffer if path == STDIN else closing.enter_context(open(path, "rb", buffering=0))
    buffered = io.BufferedReader(raw, buffer_size=PEEK_BYTES)  # type: ignore[arg-type]
    if is_gzip(buffered.peek(2)[:2]):
        gunzipped = closing.enter_context(gzip.GzipFile(fileobj=buffered))
        return io.BufferedReader(gunzipped, buffer_size=PEEK_BYTES)  # type: ignore[arg-type]
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
