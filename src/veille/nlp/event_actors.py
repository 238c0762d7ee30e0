"""Who an event's actor or target is: an entity of the article, or a group named by its nationality.

A token counts as identified, else the event is not emitted:
- it lies in a mention of a person, organisation or place (names, role nouns and pronouns
  the entity stage linked);
- it heads a phrase holding such a mention: an apposition ("le chef libyen Khalifa Haftar"),
  or, for a people noun, its "de"/"of" complement ("des membres des forces spéciales");
- it is a singular third-person pronoun, or a people noun with a possessive ("ses hommes"),
  and exactly one person is named in the nearest sentences before it that name anyone;
- it is a people noun qualified by a nationality ("Israeli police", "les diplomates russes"),
  an actor known by its country, without an entity.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any

from veille.nlp.entities import Words
from veille.nlp.event_lexicon import event_words
from veille.nlp.parse import Paragraph, Parsed
from veille.records import Entity

ACTOR_TYPES = frozenset({"PER", "ORG", "LOC"})
PRONOUN_LOOKBACK = 3  # sentences: a pronoun whose person is named further back is left alone
_DESCEND = frozenset({"appos", "flat:name", "compound", "nmod", "prep", "pobj", "nmod:poss", "poss"})


@dataclass(frozen=True, slots=True)
class Party:
    """An event's actor or target: its name and, when it is one, the article's entity."""

    name: str
    entity: Entity | None = None

    @property
    def key(self) -> str:
        """Return what tells two parties apart: the entity's id, else the name."""
        return self.entity.id if self.entity else self.name.casefold()


class Parties:
    """Resolve tokens of one article's parse to parties."""

    def __init__(self, parsed: Parsed, entities: list[Entity]) -> None:
        self.parsed = parsed
        self.words = event_words(parsed.language)
        self.entity_words = Words.of(parsed.language)
        self.people_nouns = frozenset(self.words.get("people_nouns", [])) | self.entity_words.role_nouns
        self.pronouns = frozenset(self.words.get("person_pronouns", []))
        self.possessives = frozenset(self.words.get("possessives", []))
        self.mentions = sorted(((m.start, m.end, e) for e in entities if e.type in ACTOR_TYPES
                                for m in e.mentions), key=lambda item: item[0])
        self.starts = [start for start, _, _ in self.mentions]
        self.sentence_starts = [sentence.start for sentence in parsed.sentences()]

    def of(self, token: Any, paragraph: Paragraph, exclude: frozenset[str] = frozenset()) -> Party | None:
        """Return the party a token stands for, or None when it cannot be identified."""
        return self._of(token, paragraph, exclude, depth=0)

    def nearest_before(self, token: Any, paragraph: Paragraph, types: frozenset[str]) -> Party | None:
        """Return the entity named last before a token in its sentence ("X, venu solliciter")."""
        start, _ = self.parsed.offset(token, paragraph)
        sentence_start = self.sentence_starts[bisect.bisect_right(self.sentence_starts, start) - 1]
        for m_start, m_end, entity in reversed(self.mentions[:bisect.bisect_left(self.starts, start)]):
            if m_start < sentence_start:
                return None
            if entity.type in types and m_end <= start:
                return Party(entity.name, entity)
        return None

    def _of(self, token: Any, paragraph: Paragraph, exclude: frozenset[str], depth: int) -> Party | None:
        """Resolve one token, descending into its phrase at most a few levels."""
        entity = self.entity_at(token, paragraph)
        if entity is not None:
            return Party(entity.name, entity)
        lowered = token.lower_
        if token.pos_ == "PRON" and lowered in self.pronouns:
            return self._person_before(token, paragraph, exclude)
        if token.pos_ not in ("NOUN", "PROPN") or depth > 2:
            return None
        for child in token.children:
            if child.dep_ == "appos" or (child.dep_ in _DESCEND and lowered in self.people_nouns):
                found = self._of(child, paragraph, exclude, depth + 1)
                if found is not None:
                    return found
        if lowered in self.people_nouns or token.lemma_.casefold() in self.people_nouns:
            if any(c.lower_ in self.possessives for c in token.children):
                return self._person_before(token, paragraph, exclude)
            return self._national_group(token)
        return None

    def entity_at(self, token: Any, paragraph: Paragraph) -> Entity | None:
        """Return the actor-type entity with a mention over the token."""
        start, end = self.parsed.offset(token, paragraph)
        index = bisect.bisect_right(self.starts, start)
        for m_start, m_end, entity in reversed(self.mentions[max(0, index - 8):index]):
            if m_start <= start and end <= m_end:
                return entity
        return None

    def _person_before(self, token: Any, paragraph: Paragraph, exclude: frozenset[str]) -> Party | None:
        """Return the one person named in the nearest sentence before a token that names anyone."""
        start, _ = self.parsed.offset(token, paragraph)
        sentence = bisect.bisect_right(self.sentence_starts, start) - 1
        people: dict[str, Entity] = {}
        named_in = None
        for m_start, m_end, entity in reversed(self.mentions[:bisect.bisect_left(self.starts, start)]):
            if entity.type != "PER" or entity.id in exclude or m_end > start:
                continue
            at = bisect.bisect_right(self.sentence_starts, m_start) - 1
            if sentence - at >= PRONOUN_LOOKBACK or (named_in is not None and at < named_in):
                break
            named_in = at
            people.setdefault(entity.id, entity)
        if len(people) != 1:
            return None
        person = next(iter(people.values()))
        return Party(person.name, person)

    def _national_group(self, token: Any) -> Party | None:
        """Return a people noun qualified by a nationality as a party ("Israeli police")."""
        adjectives = [c for c in token.children if c.dep_ == "amod" and self.entity_words.country_of(c.text)]
        if not adjectives:
            return None
        words = sorted([token, *adjectives], key=lambda t: t.i)
        return Party(" ".join(t.text for t in words))

