"""Tell what a file holds from its first bytes, never from its name."""
from __future__ import annotations

import re

GZIP_MAGIC = b"\x1f\x8b"
# The comment run is possessive (*+): with a plain * a head of n comments and no tag after them
# is tried in 2**n ways (25 comments took 16 s); possessive, the run is read once.
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*+<(!doctype\s+html|html|head|body|meta|title|div|p|article|section|script|link)\b", re.I | re.S)
# Attributes up to 2000 bytes: with [^>]* a head full of unclosed "<p " is scanned to its end from
# each one (quadratic: 1.3 s for 64 KB); real opening tags are far shorter.
_HTML_ANYWHERE = re.compile(rb"<(html|body|article|div|p)\b[^>]{0,2000}>", re.I)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def is_gzip(head: bytes) -> bool:
    """Say whether these are the first bytes of a gzip stream."""
    return head.startswith(GZIP_MAGIC)


def sniff(head: bytes) -> str:
    """Return 'warc', 'jsonl', 'html', 'text' or 'binary' for the first bytes of a file."""
    body = _strip_bom(head)
    if body.startswith(b"WARC/"):
        return "warc"
    if _looks_binary(head):
        return "binary"
    if body.lstrip().startswith(b"{") and _first_line_is_json_object(body):
        return "jsonl"
    # Three block tags: an HTML fragment without <html> (a saved snippet) still has several;
    # a text dump that mentions one tag in passing does not.
    if _HTML_START.match(body) or len(_HTML_ANYWHERE.findall(body[:65536])) >= 3:
        return "html"
    return "text"


def _strip_bom(head: bytes) -> bytes:
    """Drop a byte-order mark, and UTF-16 zero bytes, so the sniffing sees the text."""
    for bom in _BOMS:
        if head.startswith(bom):
            rest = head[len(bom):]
            return rest.replace(b"\x00", b"") if bom != _BOMS[0] else rest
    return head


def _looks_binary(head: bytes) -> bool:
    """Say whether bytes look like no text at all (NUL bytes or many control bytes)."""
    if any(head.startswith(bom) for bom in _BOMS[1:]):
        return False  # UTF-16 text has NUL bytes by design
    sample = head[:4096]
    if not sample:
        return False
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    # 0.05: UTF-8 and Latin-1 news text has none; images and archives have far more.
    return b"\x00" in sample or controls / len(sample) > 0.05


def _first_line_is_json_object(body: bytes) -> bool:
    """Say whether the first line starts a JSON object (the rest may be cut off)."""
    line = body.lstrip().split(b"\n", 1)[0].strip()
    return line.startswith(b"{") and (line.endswith(b"}") or len(line) >= len(body.strip()) - 1)
