"""The event data: PLOVER types with their CAMEO codes, and the trigger lexicons per language."""
from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from importlib.resources import files
from pathlib import Path

import pytest

from veille.nlp.event_lexicon import event_words, parse_trigger
from veille.nlp.lexicon import load_lexicon

TYPES = {"AGREE", "ACCUSE", "AID", "ASSAULT", "COERCE", "CONCEDE", "CONSULT", "COOPERATE", "DEMAND",
         "DISAPPROVE", "FIGHT", "INVESTIGATE", "MOBILIZE", "PROTEST", "REJECT", "REQUEST", "RETREAT",
         "SANCTION", "SUPPORT", "THREATEN"}
LANGUAGES = ("fr", "en")

# CAMEO root code -> the PLOVER types its codes go to in CAMEO2PLOVER-2021.txt (PLOVER, Open
# Event Data Alliance, CC BY-SA 4.0); 01 and 02 are dropped by PLOVER.
CONVERSION = {
    "01": set(), "02": set(), "03": {"AGREE"}, "04": {"CONSULT"}, "05": {"SUPPORT"},
    "06": {"COOPERATE"}, "07": {"AID"}, "08": {"CONCEDE", "RETREAT"}, "09": {"ACCUSE"},
    "10": {"REQUEST"}, "11": {"ACCUSE"}, "12": {"REJECT"}, "13": {"THREATEN"}, "14": {"PROTEST"},
    "15": {"MOBILIZE"}, "16": {"SANCTION", "COERCE"}, "17": {"COERCE", "ASSAULT"},
    "18": {"ASSAULT"}, "19": {"ASSAULT", "COERCE"}, "20": {"ASSAULT"},
}
# The shared folder beside the repository (the Makefile's SHARED), where the PLOVER files are.
REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "plover" / "CAMEO2PLOVER-2021.txt"

# The grammar of a trigger (docs/events.md): [se |s'] verb [particle] [[noun|noun]] [prep|prep[:actor]].
WORD = r"[a-zàâäçéèêëîïôöûùüÿœæ]+(?:-[a-zàâäçéèêëîïôöûùüÿœæ]+)*"
PREPOSITIONS = {
    "en": "with|to|from|of|by|on|against|for|in|into|at|between|behind|upon|toward|towards",
    "fr": "à|au|aux|avec|contre|de|en|sur|pour|envers|vers|dans|chez|derrière",
}


def grammar(language: str) -> re.Pattern:
    """Return the pattern every trigger of a language must match."""
    reflexive = r"(?P<reflexive>se |s')?" if language == "fr" else ""
    # A word after the verb is its particle when the event words list it as one (their reader's rule).
    particles = "|".join(event_words(language).get("particles", []))
    particle = rf"(?: (?P<particle>{particles}))?" if particles else ""
    prep = f"(?:{PREPOSITIONS[language]})"
    return re.compile(
        rf"^{reflexive}(?P<verb>{WORD}){particle}"
        rf"(?: \[(?P<objects>{WORD}(?:\|{WORD})*)\])?"
        rf"(?: (?P<markers>{prep}(?:\|{prep})*)(?P<actor>:actor)?)?$")


def parse(trigger: str, language: str) -> dict:
    """Return a trigger's parts: head (reflexive, verb, particle), objects, markers, actor."""
    match = grammar(language).match(trigger)
    assert match, f"{language}: {trigger!r} does not follow the trigger grammar"
    parts = match.groupdict()
    return {
        "head": (parts.get("reflexive") or "", parts["verb"], parts.get("particle") or ""),
        "objects": frozenset(parts["objects"].split("|")) if parts["objects"] else None,
        "markers": frozenset(parts["markers"].split("|")) if parts["markers"] else frozenset(),
        "actor": bool(parts["actor"]),
    }


@pytest.fixture(scope="module")
def ontology() -> dict:
    """Return the language-independent event data."""
    return tomllib.loads(files("veille.nlp").joinpath("data/events.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=LANGUAGES)
def lexicon(request) -> tuple[str, dict]:
    """Return a language and its trigger lexicon."""
    return request.param, load_lexicon("events", request.param)


def triggers(data: dict):
    """Yield (type, trigger) for every trigger of a lexicon."""
    for kind, table in data.items():
        for trigger in table["triggers"]:
            yield kind, trigger


def test_the_ontology_has_the_twenty_types(ontology):
    assert set(ontology) - {"cameo_roots"} == TYPES


def test_every_type_has_a_definition_and_cameo_roots(ontology):
    roots = ontology["cameo_roots"]
    assert sorted(roots) == [f"{n:02d}" for n in range(1, 21)]
    for kind in TYPES:
        entry = ontology[kind]
        assert len(entry["definition"]) > 40, kind
        assert isinstance(entry["modes"], list), kind
        assert len(set(entry["cameo"])) == len(entry["cameo"]), kind
        for code in entry["cameo"]:
            assert re.fullmatch(r"\d\d", code) and code in roots, (kind, code)


def test_cameo_codes_follow_the_conversion_table_or_say_why(ontology):
    for kind in TYPES:
        entry = ontology[kind]
        assert entry["cameo"], f"{kind}: an empty cameo list needs its reason"
        for code in entry["cameo"]:
            if kind not in CONVERSION[code]:
                assert code in entry.get("cameo_note", ""), f"{kind}: {code} is not {kind} in the table"


def test_every_cameo_root_with_a_plover_type_has_one_here(ontology):
    mapped = {code for kind in TYPES for code in ontology[kind]["cameo"]}
    assert {code for code, kinds in CONVERSION.items() if kinds} <= mapped


@pytest.mark.skipif(not REFERENCE.is_file(), reason="the PLOVER reference files are not on this machine")
def test_the_conversion_constant_is_the_reference_table():
    found = defaultdict(set)
    for line in REFERENCE.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^(\d{2,4}):\s*([A-Z]+)", line)
        if match:
            found[match[1][:2]].add(match[2])
    assert {code: kinds for code, kinds in CONVERSION.items() if kinds} == dict(found)


def test_both_languages_cover_the_twenty_types(lexicon):
    language, data = lexicon
    assert set(data) == TYPES, language
    for kind, table in data.items():
        # At least 15 per type: fewer would leave a type to chance.
        assert len(table["triggers"]) >= 15, (language, kind, len(table["triggers"]))


def test_every_trigger_follows_the_grammar(lexicon):
    language, data = lexicon
    for _, trigger in triggers(data):
        parse(trigger, language)


def test_the_event_rules_read_every_trigger_as_the_grammar_does(lexicon):
    language, data = lexicon
    particles = frozenset(event_words(language).get("particles", []))
    for kind, trigger in triggers(data):
        parts, read = parse(trigger, language), parse_trigger(kind, trigger, particles)
        reflexive, verb, particle = parts["head"]
        assert (read.reflexive, read.verb, read.particle or "") == (bool(reflexive), verb, particle), trigger
        assert (read.objects or None, read.markers, read.reversed) == (
            parts["objects"], parts["markers"], parts["actor"]), trigger


def test_french_reflexive_is_elided_before_a_vowel():
    for _, trigger in triggers(load_lexicon("events", "fr")):
        if trigger.startswith("s'"):
            assert re.match(r"s'[aeiouyhàâéèêîïôû]", trigger), trigger
        if trigger.startswith("se "):
            assert not re.match(r"se [aeiouyàâéèêîïôû]", trigger), trigger


def test_french_au_goes_with_a():
    # spaCy's French lemma of "au" is "au" (of "aux", "à"): "exprimer son soutien au Mali".
    for _, trigger in triggers(load_lexicon("events", "fr")):
        markers = parse(trigger, "fr")["markers"]
        assert ("à" in markers) == ("au" in markers), trigger


def test_no_trigger_is_listed_twice(lexicon):
    language, data = lexicon
    seen = {}
    for kind, trigger in triggers(data):
        parts = parse(trigger, language)
        key = (parts["head"], parts["objects"], parts["markers"], parts["actor"])
        assert key not in seen, f"{language}: {trigger!r} under {kind} repeats {seen[key]}"
        seen[key] = (kind, trigger)


def test_one_wording_points_to_one_type(lexicon):
    # Two triggers of one verb in two types must differ by the nouns of their object, or by
    # the presence or the prepositions of their marker; otherwise a sentence fits both.
    language, data = lexicon
    by_head = defaultdict(list)
    for kind, trigger in triggers(data):
        parts = parse(trigger, language)
        by_head[parts["head"]].append((kind, trigger, parts))
    for entries in by_head.values():
        for i, (kind, trigger, parts) in enumerate(entries):
            for other_kind, other, other_parts in entries[i + 1:]:
                if kind != other_kind and overlap(parts, other_parts):
                    pytest.fail(f"{language}: {trigger!r} ({kind}) and {other!r} ({other_kind})")


def overlap(one: dict, other: dict) -> bool:
    """Tell whether two triggers of one verb can match the same words."""
    if (one["objects"] is None) != (other["objects"] is None):
        return False
    if one["objects"] is not None and not one["objects"] & other["objects"]:
        return False
    if one["markers"] and other["markers"]:
        return bool(one["markers"] & other["markers"])
    return one["markers"] == other["markers"]


def listed(language: str, kind: str, verb: str, noun: str | None = None, prep: str | None = None) -> bool:
    """Tell whether a type has a trigger of this verb, object noun and preposition (None: none)."""
    for trigger in load_lexicon("events", language)[kind]["triggers"]:
        parts = parse(trigger, language)
        reflexive, lemma, particle = parts["head"]
        if reflexive + lemma + (f" {particle}" if particle else "") != verb:
            continue
        if noun is not None and (parts["objects"] is None or noun not in parts["objects"]):
            continue
        if (prep in parts["markers"]) if prep else not parts["markers"]:
            return True
    return False


@pytest.mark.parametrize("kind, verb, noun, prep", [
    ("CONSULT", "recevoir", None, None),
    ("CONSULT", "s'entretenir", None, "avec"),
    ("CONSULT", "se rendre", None, "à"),
    ("REQUEST", "solliciter", "aide", None),
    ("SUPPORT", "exprimer", "soutien", "à"),
    ("COOPERATE", "coopérer", None, None),
    ("SANCTION", "imposer", "embargo", "à"),
    ("FIGHT", "s'emparer", None, "de"),
    ("AID", "recevoir", "aide", "de"),
])
def test_french_has_the_wordings_of_the_specification(kind, verb, noun, prep):
    assert listed("fr", kind, verb, noun, prep)


@pytest.mark.parametrize("kind, verb, noun, prep", [
    ("CONSULT", "meet", None, None),
    ("CONSULT", "meet", None, "with"),
    ("CONSULT", "host", None, None),
    ("CONSULT", "visit", None, None),
    ("REQUEST", "ask", None, "for"),
    ("SUPPORT", "back", None, None),
    ("COOPERATE", "cooperate", None, None),
    ("SANCTION", "impose", "sanction", "on"),
    ("FIGHT", "seize", None, None),
    ("CONSULT", "hold", "talk", "with"),
])
def test_english_has_the_wordings_of_the_specification(kind, verb, noun, prep):
    assert listed("en", kind, verb, noun, prep)


def test_a_wording_under_another_type_is_not_found():
    assert not listed("en", "SANCTION", "meet")
    assert not listed("fr", "CONSULT", "s'emparer", None, "de")
