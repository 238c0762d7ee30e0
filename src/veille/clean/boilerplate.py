"""Per-site boilerplate: lines that recur on many pages of one site are learned and dropped."""
from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalize_line(line: str) -> str:
    """Return the comparison key of a line: NFC, casefolded, whitespace collapsed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", line)).strip().casefold()
