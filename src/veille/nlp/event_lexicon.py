"""The event lexicon: PLOVER types with their CAMEO roots, and the trigger phrases of each language.

Types live in ``nlp/data/events.toml``; triggers in ``nlp/data/events.<lang>.toml``, one
list per type. A trigger is written ``[se |s'] verb [particle] [[noun|noun]] [marker|marker][:actor]``:

- ``recevoir``: the verb; its subject is the actor, its direct object the target;
- ``s'entretenir avec``: a reflexive verb; the target is introduced by "avec";
- ``pull out``: an English verb with its particle;
- ``exprimer [soutien] à``: the verb's object must be one of the nouns; it says what
  happened and is not the target, which follows "à" (or is an indirect object: "lui");
- ``recevoir [aide] de:actor``: roles reversed, the noun after "de" is the actor and the
  subject the target.

The words that qualify events (negation, modality, people nouns) are in
``nlp/data/event_words.<lang>.toml``.
"""
from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from veille.nlp.lexicon import load_lexicon



@dataclass(frozen=True, slots=True)
class Trigger:
    """One trigger phrase of an event type."""

    type: str
    verb: str
    reflexive: bool = False
    particle: str | None = None
    objects: frozenset[str] = frozenset()
    markers: frozenset[str] = frozenset()
    reversed: bool = False
    phrase: str = ""

    @property
    def specificity(self) -> int:
        """Return how much the trigger asks of a sentence: the most specific is tried first."""
        return 4 * bool(self.objects) + 2 * (self.reflexive or self.particle is not None) + bool(self.markers)


@dataclass(frozen=True, slots=True)
class EventType:
    """A PLOVER event type: its definition and CAMEO root codes."""

    name: str
    definition: str
    cameo: tuple[str, ...]


@functools.cache
def event_types() -> dict[str, EventType]:
    """Return the PLOVER event types by name."""
    data = tomllib.loads(files("veille.nlp").joinpath("data/events.toml").read_text(encoding="utf-8"))
    return {name: EventType(name, entry.get("definition", ""), tuple(entry.get("cameo", [])))
            for name, entry in data.items() if name.isupper() and isinstance(entry, dict)}


def cameo_root(type_name: str) -> str | None:
    """Return the main CAMEO root code of a PLOVER type, or None when it has none."""
    found = event_types().get(type_name)
    return found.cameo[0] if found and found.cameo else None


def parse_trigger(type_name: str, phrase: str, particles: frozenset[str] = frozenset()) -> Trigger:
    """Return the trigger a phrase of the lexicon describes; raise ValueError when it is malformed."""
    words = phrase.strip().split(" ")
    reflexive = words[0] in ("se", "s'", "s’") or words[0].startswith(("s'", "s’"))
    if words[0].startswith(("s'", "s’")) and len(words[0]) > 2:
        words = [words[0][2:], *words[1:]]
    elif words[0] in ("se", "s'", "s’"):
        words = words[1:]
    if not words or not words[0] or "[" in words[0]:
        raise ValueError(f"event trigger {phrase!r} of {type_name}: no verb")
    verb, rest = words[0], words[1:]
    particle = rest.pop(0) if rest and rest[0] in particles else None
    objects: frozenset[str] = frozenset()
    if rest and rest[0].startswith("["):
        closing = next((i for i, word in enumerate(rest) if word.endswith("]")), None)
        if closing is None:
            raise ValueError(f"event trigger {phrase!r} of {type_name}: unclosed [")
        objects = frozenset(" ".join(rest[:closing + 1]).strip("[]").split("|"))
        rest = rest[closing + 1:]
    if len(rest) > 1:
        raise ValueError(f"event trigger {phrase!r} of {type_name}: one marker group at most, at the end")
    marker, reversed_roles = (rest[0], False) if rest else ("", False)
    if marker.endswith(":actor"):
        marker, reversed_roles = marker[:-len(":actor")], True
    return Trigger(type_name, verb, reflexive, particle, objects,
                   frozenset(m for m in marker.split("|") if m), reversed_roles, phrase)


@functools.cache
def triggers(language: str | None) -> dict[str, tuple[Trigger, ...]]:
    """Return a language's triggers by verb lemma, the most specific first."""
    lexicon = load_lexicon("events", language)
    particles = frozenset(event_words(language).get("particles", []))
    by_verb: dict[str, list[Trigger]] = {}
    for type_name, entry in lexicon.items():
        if not isinstance(entry, dict) or type_name not in event_types():
            continue
        for phrase in entry.get("triggers", []):
            trigger = parse_trigger(type_name, phrase, particles)
            by_verb.setdefault(trigger.verb.casefold(), []).append(trigger)
    return {verb: tuple(sorted(found, key=lambda t: -t.specificity)) for verb, found in by_verb.items()}


def event_words(language: str | None) -> dict[str, Any]:
    """Return the words that qualify events in a language (negation, modality, people nouns)."""
    return load_lexicon("event_words", language)
