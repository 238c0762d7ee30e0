"""Dates: every date expression, resolved against the publication date."""
from __future__ import annotations

from veille.nlp.parse import Parsed
from veille.records import DateRef


def find_dates(parsed: Parsed) -> list[DateRef]:
    """Return the date expressions of an article, resolved against its publication date."""
    return []
