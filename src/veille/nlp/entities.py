"""Entities: named mentions from the model, corrected by rules, grouped within the article.

The model's mentions are kept when they name a person, organisation, place or other
thing; the rules (words in ``nlp/data/entities.<lang>.toml`` and ``places.<lang>.toml``)
fix what the models get wrong on news: a role taken for an organisation ("ministre russe
des Affaires étrangères"), a nationality taken for a place ("russe"), an institution
taken for a place ("le Kremlin"), a participle that starts a sentence taken for a person
("Prié de dire..."). Mentions of one entity are then grouped ("Haftar" with "Khalifa
Haftar"), and the entity is named by its fullest form.
"""
from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from veille.nlp import coref, roles
from veille.nlp.lexicon import load_lexicon
from veille.nlp.parse import Paragraph, Parsed
from veille.records import Entity, Mention, content_id

# spaCy's labels (French WikiNER, English OntoNotes) to ours; NORP is a nationality, not a mention.
LABELS = {"PER": "PER", "PERSON": "PER", "ORG": "ORG", "LOC": "LOC", "GPE": "LOC", "FAC": "LOC",
          "MISC": "MISC", "EVENT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC", "PRODUCT": "MISC",
          "NORP": "NORP"}
ARTICLES = ("l'", "l’", "le ", "la ", "les ", "the ")
# Small words inside people's names ("Charles de Gaulle", "Ursula von der Leyen", "Mohammed bin Salman").
NAME_PARTICLES = frozenset({"de", "du", "des", "d'", "d’", "la", "le", "van", "von", "der", "den", "da", "di",
                            "dos", "bin", "ben", "ibn", "al", "el", "y"})


@dataclass(slots=True)
class Candidate:
    """A mention before grouping: its offsets, text, type, and its spaCy span."""

    mention: Mention
    type: str
    span: Any
    paragraph: Paragraph
    name: str = ""  # the mention without a courtesy title: "Véran" for "M. Véran"
    key: str = field(init=False)

    def __post_init__(self) -> None:
        self.name = self.name or self.mention.text
        self.key = name_key(self.name)
        if self.type == "PER":  # "Donald J. Trump" is "Donald Trump"
            self.key = " ".join(word for word in self.key.split() if len(word.rstrip(".")) > 1) or self.key


def find_entities(parsed: Parsed) -> list[Entity]:
    """Return the article's entities with their mentions, roles and countries."""
    if not parsed.has_model:
        return []
    words = Words.of(parsed.language)
    candidates = [c for c in _model_mentions(parsed, words) if c is not None]
    candidates += _nominal_organisations(parsed, words, candidates)
    grouped = group_mentions(candidates)
    roles.add_roles(parsed, grouped, words)
    entities = [entity for entity, _ in grouped]
    _retype_by_role(entities)
    coref.link_references(parsed, grouped, words)
    for entity in entities:
        entity.mentions.sort(key=lambda m: m.start)
    return sorted(entities, key=lambda e: e.mentions[0].start)


@dataclass(slots=True)
class Words:
    """The word lists of one language that the entity rules read."""

    role_nouns: frozenset[str]
    role_modifiers: frozenset[str]
    org_heads: frozenset[str]
    institutions: dict[str, str]
    determiners: frozenset[str]  # definite: "the minister" may refer back to a person named before
    title_determiners: frozenset[str]  # before a noun title: "la toxicologue X", "du biologiste X"
    pronouns: frozenset[str]
    reporting: frozenset[str]  # reporting verbs, lemmas and one-word forms, from the quotes lexicon
    honorifics: frozenset[str]
    demonyms: dict[str, str]  # word as the lexicon writes it -> country

    def country_of(self, word: str) -> str | None:
        """Return the country of a nationality word ("libyenne", "Russian"), or None.

        The lexicon's case decides: French demonyms are lowercase and match any case ("Russes");
        English ones are capitalised and match only so ("Polish", never "polish").
        """
        word = word.strip(",.;:")
        return self.demonyms.get(word) or self.demonyms.get(word.casefold())
    places: frozenset[str]  # known place names, keyed by name_key

    @classmethod
    def of(cls, language: str | None) -> Words:
        """Return the word lists of a language (cached per language)."""
        return _words(language)


@functools.cache
def _words(language: str | None) -> Words:
    """Read a language's word lists once per process."""
    lexicon, places = load_lexicon("entities", language), load_lexicon("places", language)
    references = lexicon.get("references", {})
    demonyms, names = {}, set()
    for country, entry in places.get("countries", {}).items():
        names.update(name_key(name) for name in [country, *entry.get("names", [])])
        for word in entry.get("demonyms", []):
            demonyms.setdefault(word, country)
    return Words(
        frozenset(lexicon.get("role_nouns", [])), frozenset(lexicon.get("role_modifiers", [])),
        frozenset(lexicon.get("org_heads", [])), dict(lexicon.get("institutions", {})),
        frozenset(references.get("determiners", [])), frozenset(lexicon.get("title_determiners", [])),
        frozenset(references.get("person_pronouns", [])),
        _reporting_verbs(language), frozenset(lexicon.get("honorifics", [])),
        demonyms, frozenset(names))


def _reporting_verbs(language: str | None) -> frozenset[str]:
    """Return the reporting verbs of the quotes lexicon: lemmas, and forms of one word."""
    quotes = load_lexicon("quotes", language)
    return frozenset(quotes.get("verbs", [])) | {form for form in quotes.get("forms", []) if " " not in form}


def name_key(text: str) -> str:
    """Return the comparison key of a name: no leading article, no accents, casefolded."""
    text = text.strip()
    lowered = text.casefold()
    for article in ARTICLES:
        if lowered.startswith(article):
            text = text[len(article):]
            break
    stripped = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return " ".join(stripped.replace("’", "'").casefold().split())


def _model_mentions(parsed: Parsed, words: Words):
    """Yield the model's mentions, corrected by the rules (None for the ones dropped)."""
    for paragraph in parsed.paragraphs:
        for span in paragraph.doc.ents:
            label = LABELS.get(span.label_)
            if label is None or label == "NORP":
                continue
            yield _corrected(span, label, paragraph, parsed, words)


def _corrected(span, label: str, paragraph: Paragraph, parsed: Parsed, words: Words) -> Candidate | None:
    """Return the mention of a model span after the rules, or None when it is not an entity."""
    if label != "PER" and (span[0].lower_ in words.role_nouns or _is_part_of_a_role(span, words)):
        return None  # "ministre russe des Affaires étrangères", "Finance Minister": roles, see roles.py
    span = _without_leading_titles(span, words)
    if span is not None and label == "PER":
        span = _name_only(span)
    if span is None or _is_not_a_name(span, words):
        return None
    first = span[0].lower_
    lowered = span.text.casefold()
    if lowered in words.institutions:
        label = "ORG"
    elif label != "PER" and first in words.org_heads:
        label = "ORG"  # "ministère russe des Affaires étrangères" is an organisation, not a place
    elif label == "LOC" and name_key(span.text) not in words.places and _has_demonym(span, words):
        label = "ORG"  # a place does not carry a nationality; "l'Aube libyenne" is a group
    start, end = parsed.offset(span, paragraph)
    name = span[1:].text if len(span) > 1 and span[0].lower_.rstrip(".") in words.honorifics else span.text
    return Candidate(Mention(start, end, span.text), label, span, paragraph, name)


def _without_leading_titles(span, words: Words):
    """Drop role nouns the model put inside a name ("général Haftar" -> "Haftar"); None if only those."""
    start = span.start
    while start < span.end and (span.doc[start].lower_ in words.role_nouns | words.role_modifiers
                                or span.doc[start].pos_ == "DET"):
        start += 1
    if start == span.end:
        return None
    return span.doc[start:span.end] if start != span.start else span


def _is_part_of_a_role(span, words: Words) -> bool:
    """Return True for a name that completes a role noun ("ministre du Budget", "Finance Minister").

    Organisations ("porte-parole du ministère algérien") and known places ("ambassadeur de
    France") stay mentions in their own right.
    """
    head = span.root.head
    if head.i == span.root.i or span.root.dep_ not in ("nmod", "compound") or head.lower_ not in words.role_nouns:
        return False
    return span[0].lower_ not in words.org_heads and name_key(span.text) not in words.places


def _name_only(span):
    """Cut a person's name before a preposition the model took in: "Recep Tayyip Erdogan à Ankara"."""
    for token in span[1:]:
        if token.pos_ == "ADP" and token.is_lower and token.lower_ not in NAME_PARTICLES:
            return span.doc[span.start:token.i]
    return span


def _is_not_a_name(span, words: Words) -> bool:
    """Return True for model mentions that are no name: nationalities, roles, sentence-initial words."""
    if words.country_of(span.text):
        return True  # "russe": an attribute of what it qualifies, not a place
    if not any(token.text[:1].isupper() for token in span):
        return span.text.casefold() not in words.institutions
    if len(span) == 1 and span.text.isupper() and span.label_ in ("PER", "PERSON"):
        return True  # "LPPR", "GMT": acronyms are not people's names
    return len(span) == 1 and _is_common_word_opening(span[0])


def _is_common_word_opening(token) -> bool:
    """Return True for a capitalised common word that opens a sentence: "Prié de dire ...", "Selon, ..."."""
    if not token.is_sent_start or token.pos_ in ("VERB", "ADJ", "ADV", "AUX", "ADP"):
        return token.is_sent_start
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    known_word = token.vocab[token.lower_].has_vector  # the lowercase form is an ordinary word
    return known_word and following is not None and following.pos_ in ("ADP", "PUNCT")


def _has_demonym(span, words: Words) -> bool:
    """Return True when a span holds a nationality word ("libyenne", "Libyan")."""
    return any(words.country_of(token.text) for token in span)


def _nominal_organisations(parsed: Parsed, words: Words, found: list[Candidate]) -> list[Candidate]:
    """Find unnamed organisations: an organisation noun with a nationality ("forces spéciales françaises")."""
    taken = {(c.paragraph.start, i) for c in found for i in range(c.span.start, c.span.end)}
    result = []
    for paragraph in parsed.paragraphs:
        for token in paragraph.doc:
            if token.lower_ not in words.org_heads or (paragraph.start, token.i) in taken:
                continue
            span = _organisation_span(token, words)
            if span is not None and not any((paragraph.start, i) in taken for i in range(span.start, span.end)):
                start, end = parsed.offset(span, paragraph)
                result.append(Candidate(Mention(start, end, span.text), "ORG", span, paragraph))
                taken.update((paragraph.start, i) for i in range(span.start, span.end))
    return result


def _organisation_span(head, words: Words):
    """Return the span of an organisation noun with its adjectives when one is a nationality."""
    adjectives = [child for child in head.children if child.dep_ == "amod" and child.pos_ in ("ADJ", "PROPN")]
    if not any(words.country_of(adjective.text) for adjective in adjectives):
        return None
    indexes = [head.i, *(a.i for a in adjectives)]
    start, end = min(indexes), max(indexes) + 1
    if any(head.doc[i].pos_ not in ("ADJ", "NOUN", "PROPN") for i in range(start, end)):
        return None
    return head.doc[start:end]


def group_mentions(candidates: list[Candidate]) -> list[tuple[Entity, list[Candidate]]]:
    """Group mentions of one entity; a surname goes with the nearest full name it ends."""
    candidates = sorted(candidates, key=lambda c: c.mention.start)
    groups: dict[str, list[Candidate]] = {}
    ordered: list[list[Candidate]] = []
    for candidate in candidates:
        longer = _full_name_for(candidate, candidates)
        key = longer.key if longer is not None else candidate.key
        if key not in groups:
            groups[key] = []
            ordered.append(groups[key])
        groups[key].append(candidate)
    return [(_entity(group), group) for group in ordered]


def _full_name_for(candidate: Candidate, candidates: list[Candidate]) -> Candidate | None:
    """Return the person's full name a short name ends (nearest before it, else the only one after).

    The short name may have another type: the models often take a lone surname for an organisation.
    """
    words = candidate.key.split()
    fuller = [c for c in candidates if c.type == "PER" and len(c.key.split()) > len(words)
              and c.key.split()[-len(words):] == words]
    if not fuller and len(words) == 1:  # a first name alone: "Marie-Pierre" for "Marie-Pierre Dausse"
        fuller = [c for c in candidates if c.type == "PER" and len(c.key.split()) > 1 and c.key.split()[0] == words[0]]
    before = [c for c in fuller if c.mention.start < candidate.mention.start]
    if before:
        return before[-1]
    after_keys = {c.key for c in fuller}
    return fuller[0] if len(after_keys) == 1 else None


# A tie between types goes to the first here: "Europe", "Santa Fe" or "Baar" tagged once LOC and once
# ORG are places used as actors more often than organisations named like places (ties on 21 of the
# 224 dev pages, which a Python set's order used to decide differently in each process).
_TIE_ORDER = {"PER": 4, "LOC": 3, "ORG": 2, "MISC": 1}


def _entity(group: list[Candidate]) -> Entity:
    """Make the entity of a group of mentions, named by its fullest form."""
    fullest = max(group, key=lambda c: (len(c.key.split()), len(c.name), -c.mention.start))
    types = [c.type for c in group]
    # A person's full name is the strongest evidence of type: the models often call a lone surname an ORG.
    multiword_person = fullest.type == "PER" and len(fullest.key.split()) > 1
    ranked = max(dict.fromkeys(types), key=lambda t: (types.count(t), _TIE_ORDER.get(t, 0)))
    kind = "PER" if multiword_person else ranked
    name = fullest.name
    return Entity(entity_id(kind, name), name, kind, mentions=[c.mention for c in group])


def entity_id(kind: str, name: str) -> str:
    """Return the id of an entity: a hash of its type and its name's key (the same across articles)."""
    return content_id(f"{kind}\x00{name_key(name)}")


def _retype_by_role(entities: list[Entity]) -> None:
    """An entity that holds a person's role is a person ("Lavrov, Russia's foreign minister")."""
    for entity in entities:
        if entity.roles and entity.type in ("ORG", "MISC") and len(entity.name.split()) <= 3:
            entity.type = "PER"
            entity.id = entity_id("PER", entity.name)
