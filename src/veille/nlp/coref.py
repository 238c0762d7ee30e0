"""Which entity a stretch of text refers to: a name, a role noun ("l'ancien général") or a pronoun ("il")."""
from __future__ import annotations

from veille.nlp.parse import Parsed
from veille.records import Entity


def resolve_reference(parsed: Parsed, entities: list[Entity], start: int, end: int) -> Entity | None:
    """Return the entity that the text between start and end refers to, when the evidence is clear."""
    return entity_at(entities, start, end)


def entity_at(entities: list[Entity], start: int, end: int) -> Entity | None:
    """Return the entity with a mention overlapping start..end (the longest overlap wins)."""
    best, best_overlap = None, 0
    for entity in entities:
        for mention in entity.mentions:
            overlap = min(end, mention.end) - max(start, mention.start)
            if overlap > best_overlap:
                best, best_overlap = entity, overlap
    return best
