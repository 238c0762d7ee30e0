"""Roles: what a person is, from appositions and titles, in both orders and both languages.

"Sergueï Lavrov, ministre russe des Affaires étrangères" and "Lavrov, Russia's foreign
minister" (after the name, between commas); "le ministre russe de la Défense, Sergueï
Choïgou" and "Russian Foreign Minister Sergei Lavrov" (a role noun before the name).
A nationality in a role gives the person's country ("chef militaire libyen" -> Libye).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from veille.nlp.parse import Parsed

if TYPE_CHECKING:
    from veille.nlp.entities import Candidate, Words
    from veille.records import Entity

MAX_APPOSITION_TOKENS = 16  # "figure de proue de la lutte contre les jihadistes dans l'est du pays": 14
MAX_TITLE_TOKENS = 8  # "le ministre russe de la Défense, X": 6 before the name
_CLAUSE_WORDS = frozenset({"qui", "que", "qu'", "qu’", "dont", "où", "who", "which", "whom", "whose", "that"})
_APPOSITION_END = frozenset({",", ";", ":", "(", ")", ".", "«", "»", '"', "“", "”"})
_TITLE_TOKENS = frozenset({"NOUN", "ADJ", "ADP", "DET", "PROPN", "PART", "PUNCT", "CCONJ"})


def add_roles(parsed: Parsed, grouped: list[tuple[Entity, list[Candidate]]], words: Words) -> None:
    """Add to each person the roles stated next to its mentions, and a country from them."""
    for entity, candidates in grouped:
        if entity.type == "LOC":
            continue
        for candidate in candidates:
            before = title_before(candidate.span, words) if entity.type == "PER" else None
            for role in (apposition_after(candidate.span, words), before):
                # An organisation's apposition is a description ("Tass, l'agence russe"), not a role,
                # unless it holds a person's role noun: then the model mistook a person.
                if role and role not in entity.roles and (entity.type == "PER" or has_role_noun(role, words)):
                    entity.roles.append(role)
        _add_country(entity, words)


def has_role_noun(text: str, words: Words) -> bool:
    """Return True when a text holds one of the language's role nouns."""
    return any(word.strip(",.'’").casefold() in words.role_nouns for word in text.replace("'s", " ").split())


def apposition_after(span, words: Words) -> str | None:
    """Return the role between commas after a name: "X, ministre russe des Affaires étrangères,".

    The role is the noun phrase that opens the apposition, up to a verb or a relative word
    ("Dewayne Johnson, un jardinier californien atteint d'un cancer" -> "jardinier californien").
    """
    doc, sentence_end = span.doc, span.sent.end
    if span.end >= sentence_end - 1 or doc[span.end].text != ",":
        return None
    end = span.end + 1
    while end < sentence_end and doc[end].text not in _APPOSITION_END and not _opens_clause(doc[end], words) \
            and doc[end].ent_type_ not in ("PER", "PERSON"):
        end += 1
    chunk = doc[span.end + 1:end]
    if not 0 < len(chunk) <= MAX_APPOSITION_TOKENS or (end < len(doc) and doc[end].ent_type_ in ("PER", "PERSON")):
        return None  # "PSL, président Alain Fuchs": a title of the name that follows
    content = [token for token in chunk if token.pos_ != "DET"]
    if not content or content[0].ent_type_ in ("PER", "PERSON") or content[0].like_num:
        return None
    has_role_noun = any(token.lower_ in words.role_nouns for token in chunk)
    head = chunk.root  # "a Polish diplomat": the noun the apposition is about
    if not has_role_noun and not (head.pos_ == "NOUN" and head.text[:1].islower()):
        return None
    return _trimmed(chunk)


def _opens_clause(token, words: Words) -> bool:
    """Return True for a word that ends an apposition's noun phrase: a verb or a relative word."""
    if token.lower_ in _CLAUSE_WORDS:
        return True
    after_determiner = token.i > 0 and token.doc[token.i - 1].pos_ == "DET"
    is_role_noun = token.lower_ in words.role_nouns  # "figure de proue": tagged as the verb "figurer"
    return token.pos_ in ("VERB", "AUX") and not after_determiner and not is_role_noun


def title_before(span, words: Words) -> str | None:
    """Return the role noun phrase right before a name: "le chef militaire libyen Khalifa Haftar"."""
    doc, sentence_start = span.doc, span.sent.start
    end = span.start - 1 if span.start > sentence_start and doc[span.start - 1].text == "," else span.start
    if end <= sentence_start or doc[end - 1].pos_ in ("ADP", "DET", "CCONJ"):
        return None  # "analyst at Castlegate", "avec Haftar": no title right before the name
    start = None
    for i in range(end - 1, max(sentence_start, end - MAX_TITLE_TOKENS) - 1, -1):
        token = doc[i]
        if token.pos_ not in _TITLE_TOKENS or token.ent_type_ in ("PER", "PERSON") or token.text in {",", "(", ")"}:
            break
        if token.lower_ in words.role_nouns:
            start = i
    if start is None and end == span.start:  # after a comma, only a role noun makes a title
        start = _determined_noun_before(doc, end, sentence_start, words)
    if start is None:
        return None
    while start > sentence_start and _is_modifier_of_title(doc[start - 1], words):
        start -= 1
    return _trimmed(doc[start:end])


def _determined_noun_before(doc, end: int, sentence_start: int, words: Words) -> int | None:
    """Return where a common-noun title starts: "la toxicologue Dominique Parent-Massin".

    Any lowercase noun right after a determiner and right before the name (adjectives
    between them allowed) is a title in French and English news, lexicon or not.
    """
    i = end - 1
    while i > sentence_start and doc[i].pos_ == "ADJ" and doc[i].is_lower:
        i -= 1
    noun = doc[i]
    before = doc[i - 1] if i > sentence_start else None
    if noun.pos_ == "NOUN" and noun.is_lower and before is not None and before.lower_ in words.title_determiners:
        return i
    return None


def _is_modifier_of_title(token, words: Words) -> bool:
    """Return True for a word that belongs to the title it precedes.

    "ancien ministre", "rapporteur général", "energy analyst", "Russian Foreign Minister".
    """
    if token.lower_ in words.role_modifiers:
        return True
    return token.pos_ in ("NOUN", "ADJ", "PROPN") and token.ent_type_ not in ("PER", "PERSON")


def _trimmed(chunk) -> str | None:
    """Return a role's text without leading determiners or trailing prepositions and articles."""
    tokens = list(chunk)
    while tokens and tokens[0].pos_ in ("DET", "PUNCT"):
        tokens.pop(0)
    while tokens and tokens[-1].pos_ in ("ADP", "DET", "PUNCT", "CCONJ"):
        tokens.pop()
    if not tokens:
        return None
    doc = chunk.doc
    return doc[tokens[0].i:tokens[-1].i + 1].text


def _add_country(entity: Entity, words: Words) -> None:
    """Set a person's country from a nationality word in one of its roles."""
    for role in entity.roles:
        for word in role.replace("'s", " ").split():
            country = words.country_of(word)
            if country:
                entity.attributes.setdefault("country", country)
                return
