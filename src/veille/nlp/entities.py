"""Entities: named mentions from the model, grouped within the article, named by their fullest form."""
from __future__ import annotations

from veille.nlp.parse import Parsed
from veille.records import Entity


def find_entities(parsed: Parsed) -> list[Entity]:
    """Return the article's entities with their mentions and roles."""
    return []
