"""Bytes to text: byte-order mark, declared charset or detection; then ftfy repairs mojibake and NFC."""
from __future__ import annotations

import codecs
import re

import charset_normalizer
import ftfy

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# Keep typographic quotes and full-width forms as the page has them: « », ’ and “ ” carry meaning.
_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, fix_character_width=False, unescape_html=False,
                             normalization="NFC")


class Undecodable(Exception):
    """No charset reads these bytes as text."""


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Return the text of some bytes: BOM first, then UTF-8, the declared charset, then detection."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for encoding in filter(None, (declared, html_charset(data))):
        text = _try_decode(data, encoding)
        if text is not None:
            return text
    return _detect_and_decode(data)


def html_charset(data: bytes) -> str | None:
    """Return the charset an HTML page declares in a meta tag within its first 8 KB."""
    match = _META_CHARSET.search(data[:8192])
    return match.group(1).decode("ascii").lower() if match else None


def _try_decode(data: bytes, encoding: str) -> str | None:
    """Decode with a named charset, or None if the name is unknown or the bytes do not fit it."""
    try:
        return data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return None


def _detect_and_decode(data: bytes) -> str:
    """Decode legacy bytes: Windows-1252 when it reads as Latin-script text, else charset-normalizer."""
    latin = _try_decode(data, "cp1252")
    if latin is not None and _is_mostly_ascii_letters(latin):
        return latin
    best = charset_normalizer.from_bytes(data[:200_000]).best()  # 200 KB: enough to decide, bounded cost
    if best is None or best.encoding is None:
        raise Undecodable("no character set reads these bytes as text")
    return data.decode(best.encoding, errors="replace")


def _is_mostly_ascii_letters(text: str) -> bool:
    """Say whether most letters are ASCII, as in French or English (accents are a few percent)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return True
    # 0.3: French runs at about 4% accented letters; Cyrillic or Greek bytes read as
    # Windows-1252 come out as nearly 100% accented Latin letters.
    return sum(1 for c in letters if ord(c) > 127) / len(letters) < 0.3


def repair_text(text: str) -> str:
    """Repair mojibake with ftfy and normalise to NFC, keeping typographic quotes."""
    return ftfy.fix_text(text, config=_FTFY)
