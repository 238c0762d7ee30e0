"""Who an event's actor or target is: an entity of the article, or a group named by its nationality.

A token counts as identified, else the event is not emitted:
- it lies in a mention of a person, organisation or place (names, role nouns and pronouns
  the entity stage linked);
- it heads a phrase holding such a mention: an apposition ("le chef libyen Khalifa Haftar"),
  or, for a people noun, its "de"/"of" complement ("des membres des forces spéciales");
- it is a singular third-person pronoun, or a people noun with a possessive ("ses hommes"),
  and exactly one person is named in the nearest sentences before it that name anyone;
- it is a noun qualified by a nationality ("Israeli police", "les diplomates russes"): an
  actor known by its country, as events data codes actors, without an entity.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any

from veille.nlp.coref import singular
from veille.nlp.entities import Words
from veille.nlp.event_args import clause_verb, is_agent
from veille.nlp.event_lexicon import event_words
from veille.nlp.parse import Paragraph, Parsed
from veille.records import Entity

ACTOR_TYPES = frozenset({"PER", "ORG", "LOC"})
# Where a nationality qualifies a noun: an adjective, or what the model takes for a name ("la junte birmane").
QUALIFIERS = frozenset({"amod", "nmod", "compound"})
NOMINAL_DEPS = frozenset({"nsubj", "nsubj:pass", "nsubjpass", "obj", "dobj", "obl:agent", "pobj", "appos"})
# A personal pronoun the French model labels expletive ("Il lui a promis") is a subject here.
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "nsubj:pass", "expl:subj"})
PRONOUN_LOOKBACK = 3  # sentences: a pronoun whose person is named further back is left alone
# Where a phrase holds the name of its party: always within the noun ("le chef libyen Khalifa
# Haftar", "Hezbollah guerrillas", "Israel's ally"); after "de"/"of"/"in" for people nouns only
# ("des membres des forces spéciales", "the president of Armenia", "forces in Guinea").
_WITHIN = frozenset({"appos", "flat:name", "compound", "nmod:poss", "poss"})
_OF = frozenset({"nmod", "prep"})
_NAMES = frozenset({"appos", "flat:name"})


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
        self.plural_possessives = frozenset(self.words.get("plural_possessives", []))
        self.owners = frozenset(self.words.get("owner_markers", []))
        self.said_pronouns = {word: frozenset(kinds) for word, kinds in self.words.get("said_pronouns", {}).items()}
        # A one-letter name is no one ("une information judiciaire contre X").
        self.mentions = sorted(((m.start, m.end, e) for e in entities if e.type in ACTOR_TYPES and len(e.name) > 1
                                for m in e.mentions), key=lambda item: item[0])
        self.starts = [start for start, _, _ in self.mentions]
        self.sentences = list(parsed.sentences())
        self.sentence_starts = [sentence.start for sentence in self.sentences]

    def of(self, token: Any, paragraph: Paragraph, exclude: frozenset[str] = frozenset(),
           owners: bool = True, names: bool = True) -> Party | None:
        """Return the party a token stands for, or None when it cannot be identified.

        owners: whether a thing may stand for whoever owns it ("rejected an Indian proposal":
        India; not for actors: "l'international français a reçu le ballon" is no act of France);
        names: whether a name inside a thing's phrase stands for it ("Hezbollah guerrillas"; not
        for a meeting: "visited the U.S. border" is no meeting with the United States).
        """
        return self._of(token, paragraph, exclude, depth=0, owners=owners, names=names)

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

    def _of(self, token: Any, paragraph: Paragraph, exclude: frozenset[str], depth: int,
            owners: bool = True, names: bool = True) -> Party | None:
        """Resolve one token, descending into its phrase at most a few levels."""
        entity = self.entity_at(token, paragraph)
        if entity is not None and entity.type != "PER":  # "le chef de la diplomatie russe Sergueï Lavrov"
            entity = self._apposed_person(token, paragraph) or entity
        if entity is not None:
            return Party(entity.name, entity)
        lowered = token.lower_
        if token.pos_ == "PRON":
            return self._pronoun(token, paragraph, exclude, depth)
        if not _nominal(token) or depth > 2:
            return None
        people = lowered in self.people_nouns or token.lemma_.casefold() in self.people_nouns
        group = people or _plural(token)  # a plural noun may name a group: "les miliciens de l'Aube libyenne"
        # A name inside the phrase first ("le président polonais Andrzej Duda", even when the
        # parser calls the name an adjective), then the complement of a people noun or an owner.
        inside = _WITHIN | {"amod"} if people or names else _NAMES
        # A person first: in wire copy the dateline's place and the actor may both hang on one noun
        # ("HANOI, Vietnam (AP) — U.S. Defense Secretary Mark Esper ... accused").
        named = [e for e in (self.entity_at(c, paragraph) for c in token.children if c.dep_ in inside) if e]
        if named:
            chosen = next((e for e in named if e.type == "PER"), named[0])
            return Party(chosen.name, chosen)
        if group or owners:  # a thing's owner only where owners may stand for it
            for child in token.children:
                # any complement of a people noun ("forces in Guinea"); "of"/"by" for the others
                if child.dep_ in _WITHIN or (child.dep_ in _OF and (people or _introduced_by(child) & self.owners)):
                    for noun in _nouns_of(child):
                        found = self._of(noun, paragraph, exclude, depth + 1, owners, names)
                        if found is not None:
                            return found
            for child in token.children:  # "le plan de paix présenté par la Chine": its author owns it
                if child.dep_ in ("acl", "acl:relcl"):
                    for noun in (n for a in child.children if is_agent(a) for n in _nouns_of(a)):
                        found = self._of(noun, paragraph, exclude, depth + 1, owners, names)
                        if found is not None:
                            return found
        possessive = next((c for c in token.children if c.lower_ in self.possessives), None)
        if people and possessive is not None:
            return self._possessor(token, possessive, paragraph, exclude)
        if people or lowered in self.entity_words.org_heads or _plural(token):
            return self._national_group(token)
        return self._country_of_thing(token) if owners else None

    def _possessor(self, token: Any, possessive: Any, paragraph: Paragraph, exclude: frozenset[str]) -> Party | None:
        """Return whose people a possessive names ("son ambassadeur", "ses hommes").

        The subject of the clause when it agrees in number with the possessive ("Bamako a
        rappelé son ambassadeur"), else, for a singular possessive, the one person named
        just before ("des membres des forces spéciales coopèrent avec ses hommes").
        """
        plural = possessive.lower_ in self.plural_possessives
        verb = clause_verb(token)
        for subject in (c for c in verb.children if c.dep_ in SUBJECT_DEPS and c.i != token.i):
            if _plural(subject) == plural:
                found = self._of(subject, paragraph, exclude, depth=1)
                if found is not None:
                    return found
        return None if plural else self._person_before(token, paragraph, exclude)

    def _apposed_person(self, token: Any, paragraph: Paragraph) -> Entity | None:
        """Return the person named in apposition to a noun ("la diplomatie russe, Sergueï Lavrov")."""
        for child in token.children:
            if child.dep_ == "appos":
                entity = self.entity_at(child, paragraph)
                if entity is not None and entity.type == "PER":
                    return entity
        return None

    def _pronoun(self, token: Any, paragraph: Paragraph, exclude: frozenset[str], depth: int) -> Party | None:
        """Resolve a pronoun: its speaker, the subject it continues, or the one person named before it."""
        found = self._reporter(token, paragraph, exclude, depth)
        if found is None and token.lower_ in self.pronouns:
            found = self._continued_subject(token, paragraph, exclude) or self._person_before(token, paragraph, exclude)
        return found

    def _continued_subject(self, token: Any, paragraph: Paragraph, exclude: frozenset[str]) -> Party | None:
        """Return the person a sentence's subject pronoun continues: the previous sentence's subject.

        "Xi Jinping poursuit sa tournée. Il a rencontré..." News keeps its subject from one
        sentence to the next; only a main-clause subject pronoun at the start of its sentence
        counts, and only a person named as the previous sentence's main subject.
        """
        if token.dep_ not in SUBJECT_DEPS or token.head.dep_ != "ROOT":
            return None
        start, _ = self.parsed.offset(token, paragraph)
        number = bisect.bisect_right(self.sentence_starts, start) - 1
        if number < 1 or self.sentences[number - 1].span is None:
            return None
        previous = self.sentences[number - 1]
        root = previous.span.root
        if any(t.pos_ == "VERB" and t.i != root.i and t.dep_ not in ("xcomp", "aux", "aux:tense") for t in previous.span):
            return None
        for subject in (c for c in root.children if c.dep_ in SUBJECT_DEPS):
            found = self._of(subject, previous.paragraph, exclude, depth=2) if subject.pos_ != "PRON" else None
            if found is not None and found.entity is not None and found.entity.type == "PER":
                return found
        return None

    def _reporter(self, token: Any, paragraph: Paragraph, exclude: frozenset[str], depth: int) -> Party | None:
        """Return who a pronoun subject is when it reports on itself ("Switzerland said it had expelled")."""
        kinds = self.said_pronouns.get(token.lower_)
        verb = token.head
        if kinds is None or token.dep_ not in ("nsubj", "nsubj:pass", "nsubjpass") or verb.dep_ not in ("ccomp", "xcomp"):
            return None
        for subject in (c for c in verb.head.children if c.dep_ in ("nsubj", "nsubj:pass", "nsubjpass")):
            if subject.pos_ == "PRON":
                continue
            found = self._of(subject, paragraph, exclude, depth + 1)
            if found is not None and (found.entity.type if found.entity else "GROUP") in kinds:
                return found
        return None

    def _nationality(self, token: Any, text: str | None = None) -> str | None:
        """Return the country of a nationality word, unless it is only a leaning ("pro-Iranian", "anti-américain")."""
        doc = token.doc
        if token.i >= 2 and doc[token.i - 1].text == "-" and doc[token.i - 2].lower_ in ("pro", "anti"):
            return None
        word = text or token.text
        if word.casefold().startswith(("pro-", "anti-", "pro", "anti")) and not self.entity_words.country_of(word):
            return None
        return self.entity_words.country_of(word)

    def _country_of_thing(self, token: Any) -> Party | None:
        """Return the country a nationality gives a thing ("an Indian proposal": India's), as events data codes it."""
        for child in token.children:
            country = self._nationality(child) if child.dep_ in QUALIFIERS else None
            if country:
                return Party(country)
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
        """Return a noun qualified by a nationality as a party ("Israeli police", "les diplomates russes")."""
        if self._nationality(token) or self._nationality(token, singular(token.text)):
            return Party(token.text)  # "les Russes", "168 Liberians"
        adjectives = [c for c in token.children if c.dep_ in QUALIFIERS and self._nationality(c)]
        if not adjectives:
            return None
        words = sorted([token, *adjectives], key=lambda t: t.i)
        return Party(" ".join(t.text for t in words))



def _nouns_of(token: Any) -> list[Any]:
    """Return the noun a dependent stands for: an English preposition's object, else the dependent."""
    if token.dep_ in ("prep", "agent"):
        return [c for c in token.children if c.dep_ == "pobj"]
    return [token]


def _plural(token: Any) -> bool:
    """Return True for a plural noun ("soldiers", "réfugiés")."""
    return token.tag_ == "NNS" or token.morph.get("Number") == ["Plur"]


def _introduced_by(token: Any) -> set[str]:
    """Return the preposition that introduces a dependent ("of", "by"; French "de", "par")."""
    if token.dep_ == "prep":
        return {token.lower_}
    return {c.lower_ for c in token.children if c.dep_ == "case"}


def _nominal(token: Any) -> bool:
    """Return True for a noun, or a word with a determiner the model tags otherwise ("L'opposant" as a verb)."""
    return token.pos_ in ("NOUN", "PROPN") or (token.pos_ in ("VERB", "ADJ") and token.dep_ in NOMINAL_DEPS
                                                and any(c.dep_ == "det" for c in token.children))
