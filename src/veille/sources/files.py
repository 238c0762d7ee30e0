"""Expand the paths a user gives (files, directories, globs, '-') and read each file's bytes."""
from __future__ import annotations

import glob
import gzip
import io
import os
import sys
import zlib
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

from veille.limits import GZIP_FREE_BYTES, MAX_GZIP_RATIO
from veille.sources.detect import is_gzip

STDIN = "-"
PEEK_BYTES = 65536  # enough to tell WARC, JSON Lines, HTML and text apart


class TooLarge(Exception):
    """A file or a decompressed stream is bigger than the limit."""


class GzipBomb(TooLarge, OSError):
    """A gzip stream inflates far more than real pages do (an OSError too: readers treat it as damage)."""


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
    counted = _CountingReader(raw)
    buffered = io.BufferedReader(counted, buffer_size=PEEK_BYTES)
    if is_gzip(buffered.peek(2)[:2]):
        gunzipped = closing.enter_context(gzip.GzipFile(fileobj=buffered))
        guarded = _InflationGuard(gunzipped, counted)
        return io.BufferedReader(guarded, buffer_size=PEEK_BYTES)
    return buffered


class _CountingReader(io.RawIOBase):
    """A raw stream that counts the bytes read through it."""

    def __init__(self, raw):
        self.raw, self.count = raw, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.raw.read(len(buffer))
        buffer[:len(data)] = data
        self.count += len(data)
        return len(data)


class _InflationGuard(io.RawIOBase):
    """A gunzipped stream that raises GzipBomb past MAX_GZIP_RATIO times its input, and OSError on corrupt data."""

    def __init__(self, gunzipped: gzip.GzipFile, compressed: _CountingReader):
        self.gunzipped, self.compressed, self.count = gunzipped, compressed, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            read = self.gunzipped.readinto(buffer)
        except zlib.error as error:  # corrupt deflate data: not an OSError, so the readers would not see damage
            raise gzip.BadGzipFile(f"damaged gzip data: {error}") from error
        self.count += read
        if self.count > GZIP_FREE_BYTES and self.count > MAX_GZIP_RATIO * max(1, self.compressed.count):
            raise GzipBomb(f"gzip stream inflates more than {MAX_GZIP_RATIO} times "
                           f"({self.compressed.count} bytes to over {self.count}): a decompression bomb")
        return read


def read_limited(stream: io.BufferedIOBase, limit: int) -> bytes:
    """Read a whole stream, refusing more than limit bytes (a gzip bomb stops at the limit)."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(f"larger than the limit of {limit} bytes (--max-bytes)")
    return data


def display_name(path: str) -> str:
    """Return the name a path is recorded under: as given, or '<stdin>'."""
    return "<stdin>" if path == STDIN else str(Path(path))
