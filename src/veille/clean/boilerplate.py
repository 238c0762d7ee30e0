"""Per-site boilerplate: lines that recur on many pages of one site are learned and dropped."""
from __future__ import annotations

import re
import unicodedata

from veille.nlp.offsets import cut_text
from veille.records import PARAGRAPH_SEPARATOR, Article, Removed

_SPACES = re.compile(r"\s+")
MAX_LINE_CHARS = 200   # boilerplate is menus, buttons, footers and credits; longer lines are prose
MAX_LINES_PER_PAGE = 400  # bounds what one page adds to the site's counts
# Which of the counted lines are a site's boilerplate is the store's site_boilerplate view
# (store/schema.py), the one place that rule is written.


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


def remove_known(article: Article, known: frozenset[str]) -> Article:
    """Move the paragraphs that are the site's learned boilerplate into removed."""
    if not known:
        return article
    kept, cuts, start = [], [], 0
    for paragraph in article.paragraphs:
        if normalize_line(paragraph) in known:
            article.removed.append(Removed(paragraph, "site_boilerplate"))
            cuts.append((start, start + len(paragraph) + len(PARAGRAPH_SEPARATOR)))
        else:
            kept.append(paragraph)
        start += len(paragraph) + len(PARAGRAPH_SEPARATOR)
    article.paragraphs = kept
    cut_text(article, cuts)  # annotated already (site known only from the page): keep offsets right
    return article
