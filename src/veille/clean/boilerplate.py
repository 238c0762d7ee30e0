"""Per-site boilerplate: lines that recur on many pages of one site are learned and dropped."""
from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
MAX_LINE_CHARS = 200   # boilerplate is menus, buttons, footers and credits; longer lines are prose
MAX_LINES_PER_PAGE = 400  # bounds what one page adds to the site's counts
# A line is the site's boilerplate once seen on at least MIN_PAGES pages and on at least
# MIN_SHARE of the site's pages: 3 so that one story and its update never teach it,
# 0.5 so that a footer seen on most pages is learned while a recurring "Related:" link is not.
# The rule itself is the store's site_boilerplate view (store/schema.py).
MIN_PAGES = 3
MIN_SHARE = 0.5


def normalize_line(line: str) -> str:
    """Return the comparison key of a line: NFC, casefolded, whitespace collapsed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", line)).strip().casefold()


def candidate_lines(lines: list[str]) -> dict[str, str]:
    """Return {key: line} for the distinct short lines of a page, the ones that can be boilerplate."""
    found: dict[str, str] = {}
    for line in lines:
        stripped = line.strip()
        if stripped and len(stripped) <= MAX_LINE_CHARS:
            found.setdefault(normalize_line(stripped), stripped)
            if len(found) >= MAX_LINES_PER_PAGE:
                break
    return found


def drop_known(paragraphs: list[str], known: frozenset[str]) -> tuple[list[str], list[str]]:
    """Split paragraphs into those kept and those that are known boilerplate of the site."""
    if not known:
        return paragraphs, []
    kept, dropped = [], []
    for paragraph in paragraphs:
        (dropped if normalize_line(paragraph) in known else kept).append(paragraph)
    return kept, dropped
