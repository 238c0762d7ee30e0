"""Events: who did what to whom, where and when, each with the sentence that states it.

A verb of the trigger lexicon (``nlp/data/events.<lang>.toml``, PLOVER types) starts an
event; its actor and target are read from the parse (``event_args``) and must each be an
identified party (``event_actors``), else no event is emitted: a wrong event costs users
more than a missed one. Each event then gets:

- its date: a date expression of the sentence that belongs to the trigger's clause ("a reçu
  hier", "se sont emparés de Tripoli en août 2014"), never the publication date;
- its place: a place entity the trigger governs through "à", "en", "in"...;
- ``negated`` when the verb is denied ("n'a pas rencontré"), ``hypothetical`` when it is
  only possible, planned or conditional ("pourrait imposer", "envisage de", "will meet");
- ``reported_by``: the speaker of the quote it is told in.
"""
from __future__ import annotations

import bisect
from collections.abc import Iterator
from typing import Any

from veille.nlp.event_actors import Parties, Party
from veille.nlp.event_args import Arguments, arguments, clause_verb, matches
from veille.nlp.event_lexicon import Trigger, cameo_root, event_words, triggers
from veille.nlp.parse import Parsed, Sentence
from veille.records import DateRef, Entity, Event, Quote, Span

VERBS = frozenset({"VERB", "AUX"})
PARTICIPLE_ACTORS = frozenset({"PER", "ORG"})  # who "X, venu solliciter" may be about
# Types whose joined actors act on each other when no target is named ("X and Y agreed",
# "X et Y se sont entretenus"): PLOVER codes them both ways.
RECIPROCAL = frozenset({"AGREE", "CONSULT", "COOPERATE", "FIGHT", "SUPPORT"})
# Types whose PLOVER definition needs no recipient ("les forces russes se sont retirées",
# "des milliers d'agriculteurs ont manifesté"): an identified actor is enough, and the
# target is left empty rather than guessed.
TARGET_OPTIONAL = frozenset({"PROTEST", "MOBILIZE", "RETREAT", "CONCEDE"})
# Types whose target must be a party itself, never a thing standing for its owner: a meeting
# or a visit is with someone ("visited the U.S. border" is no meeting with the United States).
PARTY_ONLY = frozenset({"CONSULT"})
_MODAL_REACH = 3  # verbs up from the trigger whose modality counts ("pourrait vouloir imposer")


def find_events(parsed: Parsed, entities: list[Entity], quotes: list[Quote], dates: list[DateRef]) -> list[Event]:
    """Return the events the article's sentences state, in text order."""
    table = triggers(parsed.language)
    if not parsed.has_model or not table:
        return []
    context = _Context(parsed, entities, quotes, dates)
    found: list[Event] = []
    seen: set[tuple] = set()
    for sentence in parsed.sentences():
        for verb, trigger, what in _triggered(sentence, table, context.dative):
            for event in context.events(sentence, verb, trigger, what):
                key = (event.type, event.actor_entity or event.actor, event.target_entity or event.target,
                       event.evidence.start)
                if key not in seen:
                    seen.add(key)
                    found.append(event)
    return found


def _triggered(sentence: Sentence, table: dict[str, tuple[Trigger, ...]],
               dative: frozenset[str]) -> Iterator[tuple[Any, Trigger, Any]]:
    """Yield each verb of a sentence with the most specific trigger it matches."""
    for token in sentence.span:
        if token.pos_ not in VERBS:
            continue
        candidates = table.get(token.lemma_.casefold()) or table.get(token.lower_, ())
        for trigger in candidates:
            what = matches(token, trigger, dative)
            if what is not None:
                yield token, trigger, what
                break


class _Context:
    """What the events of one article are read against: its parties, quotes, dates and words."""

    def __init__(self, parsed: Parsed, entities: list[Entity], quotes: list[Quote], dates: list[DateRef]) -> None:
        self.parsed = parsed
        self.parties = Parties(parsed, entities)
        self.entities = {entity.id: entity for entity in entities}
        self.quotes = sorted(quotes, key=lambda q: q.start)
        self.dates = sorted(dates, key=lambda d: d.start)
        self.date_starts = [d.start for d in self.dates]
        words = event_words(parsed.language)
        self.negation = frozenset(words.get("negation", []))
        self.modal_verbs = frozenset(words.get("modal_verbs", []))
        self.conditions = frozenset(words.get("conditions", []))
        self.negating_verbs = frozenset(words.get("negating_verbs", []))
        self.place_markers = frozenset(words.get("place_markers", []))
        self.dative = frozenset(words.get("dative_markers", []))
        self.recipients = frozenset(words.get("recipient_markers", []))
        self.control_verbs = frozenset(words.get("control_verbs", []))

    def events(self, sentence: Sentence, verb: Any, trigger: Trigger, what: Any) -> list[Event]:
        """Return the events of one matched trigger: one per actor and target pair."""
        found = arguments(verb, trigger, what, self.dative, self.recipients, self.control_verbs)
        actors, targets = self._parties(found, sentence, things=trigger.type not in PARTY_ONLY)
        if not targets and len(actors) > 1 and trigger.type in RECIPROCAL:
            targets = actors
        if not targets and trigger.type in TARGET_OPTIONAL and (trigger.objects or not self._has_object(verb, sentence)):
            targets = [None]  # but a bare verb with an object that is no party is another sense: "pulled one back"
        if not actors or not targets:
            return []
        start, _ = self.parsed.offset(verb, sentence.paragraph)
        negated, hypothetical = self._modality(verb)
        negated |= found.what is not None and any(c.lower_ in self.negation for c in found.what.children)
        place = self._place(verb, sentence, {p.entity.id for p in [*actors, *targets] if p and p.entity})
        date = self._date(verb, sentence)
        reported_by = self._speaker(start)
        evidence = Span(sentence.start, sentence.end, sentence.text)
        return [Event(trigger.type, actor.name, target.name if target else None, evidence,
                      actor.entity.id if actor.entity else None, target.entity.id if target and target.entity else None,
                      place, date, negated, reported_by, hypothetical, cameo_root(trigger.type))
                for actor in actors for target in targets if target is None or actor.key != target.key]

    def _parties(self, found: Arguments, sentence: Sentence, things: bool) -> tuple[list[Party], list[Party]]:
        """Resolve the argument tokens to parties, dropping those that cannot be identified."""
        paragraph = sentence.paragraph
        alone = _present(self.parties.nearest_before(found.alone, paragraph, PARTICIPLE_ACTORS)) \
            if found.alone is not None else []
        actors = self._resolved(found.actors, paragraph, frozenset(), owners=False) or (alone if found.alone_is_actor else [])
        exclude = frozenset(p.entity.id for p in actors if p.entity)
        targets: list[Party] = []
        for tokens in found.targets:
            targets = self._resolved(tokens, paragraph, exclude, owners=things, names=things)
            if targets:
                break
        if not targets and not found.alone_is_actor:
            targets = alone
        return actors, targets

    def _resolved(self, tokens: list[Any], paragraph: Any, exclude: frozenset[str], owners: bool = True,
                  names: bool = True) -> list[Party]:
        """Return the distinct parties of some tokens (see Parties.of for owners and names)."""
        parties: dict[str, Party] = {}
        for token in tokens:
            party = self.parties.of(token, paragraph, exclude, owners, names)
            if party is not None:
                parties.setdefault(party.key, party)
        return list(parties.values())

    def _modality(self, verb: Any) -> tuple[bool, bool]:
        """Return (negated, hypothetical) for a trigger verb and the verbs it completes."""
        negated = hypothetical = False
        token = verb
        for level in range(_MODAL_REACH):
            children = list(token.children)
            negated |= any(c.lower_ in self.negation or c.dep_ == "neg" for c in children)
            negated |= level > 0 and _lemma(token) in self.negating_verbs
            hypothetical |= any(_is_modal_aux(c, self.modal_verbs) or c.lower_ in self.conditions for c in children)
            hypothetical |= _conditional_or_future(token) or (level > 0 and _lemma(token) in self.modal_verbs)
            if token.dep_ not in ("xcomp", "ccomp") or token.head.i == token.i or token.head.pos_ not in VERBS:
                break
            token = token.head
        return negated, hypothetical

    def _place(self, verb: Any, sentence: Sentence, parties: set[str]) -> str | None:
        """Return the place entity put in the trigger's clause by "à", "en", "in"..., other than a party."""
        for token in _clause(verb):
            noun = _place_noun(token, self.place_markers)
            entity = self.parties.entity_at(noun, sentence.paragraph) if noun is not None else None
            if entity is not None and entity.type == "LOC" and entity.id not in parties:
                return entity.name
        return None

    def _date(self, verb: Any, sentence: Sentence) -> str | None:
        """Return the resolved date expression of the sentence that belongs to the trigger's clause."""
        low = bisect.bisect_left(self.date_starts, sentence.start)
        high = bisect.bisect_left(self.date_starts, sentence.end)
        for ref in self.dates[low:high]:
            token = _token_at(sentence, ref.start)
            if token is None:
                continue
            governor = clause_verb(token.head if token.pos_ in ("ADP", "DET") else token)
            if governor.i == verb.i or (governor.dep_ in ("aux", "aux:tense") and governor.head.i == verb.i):
                return ref.resolved
        return None

    def _has_object(self, verb: Any, sentence: Sentence) -> bool:
        """Return True when a verb has a direct object that is no date ("a démissionné dimanche")."""
        for child in verb.children:
            if child.dep_ in ("obj", "dobj"):
                start, _ = self.parsed.offset(child, sentence.paragraph)
                index = bisect.bisect_right(self.date_starts, start) - 1
                if index < 0 or self.dates[index].end <= start:
                    return True
        return False

    def _speaker(self, offset: int) -> str | None:
        """Return who is quoted saying the words at an offset, if they are inside a quote."""
        for quote in self.quotes:
            if quote.start > offset:
                break
            if quote.start <= offset < quote.end:
                entity = self.entities.get(quote.speaker_entity or "")
                return entity.name if entity else quote.speaker
        return None


def _present(party: Party | None) -> list[Party]:
    """Return a one-party list, or an empty one."""
    return [party] if party is not None else []


def _lemma(token: Any) -> str:
    """Return a token's lemma, casefolded."""
    return token.lemma_.casefold()


def _is_modal_aux(token: Any, modal_verbs: frozenset[str]) -> bool:
    """Return True for a modal or future auxiliary ("could", "will", "would")."""
    return token.dep_ in ("aux", "aux:tense") and token.tag_ == "MD" and token.lower_ in modal_verbs | {"wo", "ca"}


def _conditional_or_future(token: Any) -> bool:
    """Return True when a verb or its auxiliary is conditional or future ("pourrait", "rencontrera", "aurait reçu")."""
    forms = [token, *(c for c in token.children if c.dep_.startswith("aux"))]
    return any(t.morph.get("Mood") == ["Cnd"] or t.morph.get("Tense") == ["Fut"] for t in forms)


def _clause(verb: Any) -> Iterator[Any]:
    """Yield the tokens of a verb's clause, breadth first, without entering the clauses of other verbs."""
    queue = list(verb.children)
    while queue:
        token = queue.pop(0)
        yield token
        if token.pos_ not in VERBS:
            queue.extend(token.children)


def _place_noun(child: Any, markers: frozenset[str]) -> Any | None:
    """Return the noun a child introduces with a place preposition ("à Moscou", "in Beijing"), if any."""
    if child.dep_ == "prep" and child.lower_ in markers:
        return next((c for c in child.children if c.dep_ == "pobj"), None)
    if child.pos_ in ("PROPN", "NOUN") and any(c.dep_ == "case" and c.lower_ in markers for c in child.children):
        return child
    return None


def _token_at(sentence: Sentence, offset: int) -> Any | None:
    """Return the token of a sentence that starts at or covers a text offset."""
    local = offset - sentence.paragraph.start
    for token in sentence.span:
        if token.idx <= local < token.idx + max(len(token), 1):
            return token
    return None
