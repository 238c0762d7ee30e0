"""Builders of bad and pathological inputs for the reliability tests, made on the fly, never committed."""
from __future__ import annotations

import importlib.util
import io
import json
import os
import tempfile
import zlib
from pathlib import Path
from types import ModuleType

from veille.pipeline import process_page
from veille.records import Article, Reject
from veille.sources import SourceOptions, read_pages

# Every reason a page may be rejected for; "internal_error" is missing on purpose: it is a
# stage failing on a page, a bug that these tests exist to find.
KNOWN_REASONS = {"empty_input", "not_text", "undecodable", "no_article_found", "too_large", "truncated_warc",
                 "no_html_records", "bad_json", "unreadable", "not_found", "timeout"}
SENTENCE = "Le ministre a annoncé hier une réforme du système de santé, selon un communiqué officiel. "
MB = 1 << 20
TESTS = Path(__file__).parent.parent


def reuse_test_module(relative: str) -> ModuleType:
    """Import a test module of another folder of tests/ by path (the folders are not packages), to reuse its helpers."""
    path = TESTS / relative
    spec = importlib.util.spec_from_file_location(f"_reused_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


warc_bytes = reuse_test_module("sources/test_formats.py").warc_bytes  # (type, uri, payload, content type) records


def is_stress_run() -> bool:
    """Say whether this is `make stress` (VEILLE_STRESS=1): full-size inputs, many more examples."""
    return os.environ.get("VEILLE_STRESS") == "1"


def examples(count: int) -> int:
    """Return how many examples a property test tries: ten times more under `make stress`."""
    return count * 10 if is_stress_run() else count


def outcomes(data: bytes, options: SourceOptions = SourceOptions()) -> list[Article | Reject]:
    """Write bytes to a file and run the sources and the whole per-page pipeline on it."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input"
        path.write_bytes(data)
        return [item if isinstance(item, Reject) else process_page(item) for item in read_pages([str(path)], options)]


def check(results: list[Article | Reject]) -> None:
    """Assert every result is an article with text and offsets that slice, or a reject with a known reason."""
    assert results
    for result in results:
        if isinstance(result, Reject):
            assert result.reason in KNOWN_REASONS, result
            continue
        assert result.paragraphs and result.id
        for entity in result.entities:
            assert all(result.text[m.start:m.end] == m.text for m in entity.mentions)


def gzip_bytes(data: bytes) -> bytes:
    """Return data as one gzip member."""
    packer = zlib.compressobj(6, zlib.DEFLATED, 31)
    return packer.compress(data) + packer.flush()


def gzip_bomb(prefix: bytes, fill: bytes, size: int) -> bytes:
    """Return a gzip stream of prefix then fill repeated up to size bytes, made a megabyte at a time."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = fill * (MB // len(fill))
    parts = [packer.compress(prefix)]
    parts.extend(packer.compress(chunk) for _ in range(size // len(chunk)))
    return b"".join(parts) + packer.flush()


def jsonl_bytes(records: list[object]) -> bytes:
    """Return JSON Lines of any JSON values."""
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records).encode("utf-8", "surrogatepass")


class GeneratedStream(io.RawIOBase):
    """A read-only stream of head, then size bytes of filler, then tail, produced as it is read."""

    def __init__(self, head: bytes, size: int, tail: bytes = b"", filler: bytes = b"<p>lorem ipsum</p>\n"):
        self.parts = [head, None, tail]
        self.left, self.filler, self.read_count = size, filler * (MB // len(filler)), 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._next(len(buffer))
        buffer[:len(data)] = data
        self.read_count += len(data)
        return len(data)

    def _next(self, wanted: int) -> bytes:
        """Return the next piece of the stream, at most wanted bytes."""
        while self.parts:
            if self.parts[0] is None and self.left > 0:
                piece = self.filler[:min(wanted, self.left)]
                self.left -= len(piece)
                return piece
            if self.parts[0]:
                piece, self.parts[0] = self.parts[0][:wanted], self.parts[0][wanted:]
                return piece
            self.parts.pop(0)
        return b""


def huge_warc_record(size: int, uri: str = "https://example.org/huge") -> GeneratedStream:
    """Return a stream holding one HTML response record of size payload bytes, then a small normal one."""
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000001>\r\n"
            f"WARC-Target-URI: {uri}\r\nWARC-Date: 2016-11-29T10:00:00Z\r\nContent-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(http) + size}\r\n\r\n").encode() + http
    page = ("<html><body><article><h1>Un titre</h1>" + f"<p>{SENTENCE * 3}</p>" * 4 + "</article></body></html>").encode()
    tail = b"\r\n\r\n" + warc_bytes([("response", "https://example.org/small", page, "text/html")], compress=False)
    return GeneratedStream(head, size, tail)
