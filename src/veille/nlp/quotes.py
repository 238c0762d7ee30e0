"""Quotes: direct and indirect, with speaker and channel, found by rules over the text."""
from __future__ import annotations

from veille.nlp.parse import Parsed
from veille.records import Entity, Quote


def find_quotes(parsed: Parsed, entities: list[Entity]) -> list[Quote]:
    """Return the quotes of an article, each with its speaker linked to an entity where clear."""
    return []
