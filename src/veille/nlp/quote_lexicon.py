"""The quote lexicon of a language: marks, reporting verbs, source markers, channel and speaker words.

Read from ``nlp/data/quotes.<language>.toml``; adding a language touches data, not code.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from veille.nlp.lexicon import languages_with, load_lexicon


@dataclass(frozen=True)
class QuoteLexicon:
    """The quote words of one language, read from its data file."""

    marks: tuple[tuple[str, str], ...]
    verbs: frozenset[str] = frozenset()
    forms: frozenset[str] = frozenset()
    markers: tuple[tuple[str, ...], ...] = ()
    initial_markers: tuple[tuple[str, ...], ...] = ()
    channel_verbs: frozenset[str] = frozenset()
    channel_nouns: frozenset[str] = frozenset()
    channels: frozenset[str] = frozenset()
    via_verbs: frozenset[str] = frozenset()
    title_nouns: frozenset[str] = frozenset()
    inverted_pronouns: frozenset[str] = frozenset()
    speaker_nouns: frozenset[str] = frozenset()
    generic_subjects: frozenset[str] = frozenset()
    post_channel: str | None = None
    as_words: frozenset[str] = frozenset()

    @property
    def openers(self) -> dict[str, list[str]]:
        """Return {opening mark: [closing marks]}."""
        found: dict[str, list[str]] = {}
        for opening, closing in self.marks:
            found.setdefault(opening, []).append(closing)
        return found


@functools.cache
def quote_lexicon(language: str | None) -> QuoteLexicon:
    """Return a language's quote lexicon; without one, the marks of every known language only."""
    data = load_lexicon("quotes", language)
    if not data:
        return QuoteLexicon(marks=_all_marks())
    words = lambda key: frozenset(word.lower() for word in data.get(key, []))  # noqa: E731
    phrases = lambda key: tuple(tuple(_phrase_words(p)) for p in data.get(key, []))  # noqa: E731
    return QuoteLexicon(
        marks=tuple(tuple(pair) for pair in data.get("marks", [])) or _all_marks(),
        verbs=words("verbs"), forms=words("forms"), markers=phrases("markers"),
        initial_markers=phrases("initial_markers"), channel_verbs=words("channel_verbs"),
        channel_nouns=words("channel_nouns"), channels=frozenset(data.get("channels", [])),
        via_verbs=words("via_verbs"), title_nouns=words("title_nouns"),
        inverted_pronouns=words("inverted_pronouns"),
        speaker_nouns=words("speaker_nouns") | _role_nouns(language), generic_subjects=words("generic_subjects"),
        post_channel=data.get("post_channel"), as_words=words("as_words"))


def _role_nouns(language: str | None) -> frozenset[str]:
    """Return the nouns that name what a person does ("ministre", "toxicologue"), from the entity lexicon."""
    return frozenset(word.lower() for word in load_lexicon("entities", language).get("role_nouns", []))


def _all_marks() -> tuple[tuple[str, str], ...]:
    """Return the quote-mark pairs of every language that has a quote lexicon."""
    pairs: list[tuple[str, str]] = []
    for language in languages_with("quotes"):
        for pair in load_lexicon("quotes", language).get("marks", []):
            if tuple(pair) not in pairs:
                pairs.append(tuple(pair))
    return tuple(pairs)


def _phrase_words(phrase: str) -> list[str]:
    """Split a marker phrase into the lowercase tokens a parse gives ("d'après" → "d'", "après")."""
    return [word for word in re.findall(r"\w+['’]?|[^\w\s]", phrase.lower())]


__all__ = ["QuoteLexicon", "quote_lexicon"]
