"""The French event gold set through the annotate stage: floors on its figures, and its matching rules."""
from __future__ import annotations

import importlib.util

import pytest

from eval.events import (EXACT_F1_FLOOR, TYPE_PRECISION_FLOOR, FrResult, GsrResult, exact_match, fr_result,
                         fr_scores, gsr_matches, load_french, plover_type, same_name, tag_recall)
from veille.records import Entity, Event, Mention, Span

HAS_EVENTS = importlib.util.find_spec("veille.nlp.events") is not None
needs_events = pytest.mark.skipif(not HAS_EVENTS, reason="the event stage (veille.nlp.events) is not there yet")

# The floors live in eval/events.py beside the figures they were measured at: type precision
# 1.000 and exact (type, actor, target) F1 0.642 at commit e37564b, minus 0.05 each.

RECORDS = load_french()
NO_EVENT = [record for record in RECORDS if "no_event" in record["covers"]]


@pytest.fixture(scope="module")
def results() -> list[FrResult]:
    """Return every French text annotated (the model loaded once for the module)."""
    return [fr_result(record) for record in RECORDS]


@needs_events
def test_french_event_types_are_precise_enough(results):
    assert fr_scores(results)["types"].precision >= TYPE_PRECISION_FLOOR


@needs_events
def test_french_events_have_the_right_actor_and_target_often_enough(results):
    assert fr_scores(results)["exact"].f1 >= EXACT_F1_FLOOR


@needs_events
@pytest.mark.parametrize("record", NO_EVENT, ids=[record["id"] for record in NO_EVENT])
def test_texts_without_an_event_yield_none(record, results):
    found = next(result.found for result in results if result.record is record)
    assert found == [], [(e.type, e.actor, e.target) for e in found]


# -- the set itself and the matching rules, without a model -------------------------------------

def test_the_set_covers_every_type_and_hard_construction_several_times():
    types = [event["type"] for record in RECORDS for event in record["events"]]
    assert len({t for t in types if types.count(t) >= 3}) == 20
    tags = [tag for record in RECORDS for tag in record["covers"]]
    for tag in ("passive", "coordination", "clitic", "pronoun_subject", "place", "date", "background",
                "negated", "hypothetical", "quoted", "nominal", "light_verb"):
        assert tags.count(tag) >= 4, tag
    assert 20 <= tags.count("no_event") <= 30
    assert all(bool(record["events"]) != ("no_event" in record["covers"]) for record in RECORDS)


def event(type_: str, actor: str | None, target: str | None, **extra) -> Event:
    """Return a found event with a dummy evidence span."""
    return Event(type_, actor, target, Span(0, 1, "x"), **extra)


def gold(type_: str, actor: str, target: str | None) -> dict:
    """Return a gold event with no place, date or flags."""
    return {"type": type_, "actor": actor, "target": target, "place": None, "date": None,
            "negated": False, "hypothetical": False, "reported_by": None}


def test_names_match_folded_or_by_their_last_word():
    assert same_name(["Sergueï LAVROV"], "Serguei Lavrov")
    assert same_name(["Lavrov"], "Sergueï Lavrov")
    assert same_name(["les forces russes"], "forces russes")
    assert not same_name(["Dmitri Peskov"], "Sergueï Lavrov")
    assert not same_name([], "Sergueï Lavrov")


def test_an_exact_match_needs_type_actor_and_target_and_no_target_where_the_gold_has_none():
    entities = {"e1": Entity("e1", "Khalifa Haftar", "PER", mentions=[Mention(0, 6, "Haftar")])}
    assert exact_match(event("CONSULT", "le maréchal", "Lavrov", actor_entity="e1"),
                       gold("CONSULT", "Khalifa Haftar", "Sergueï Lavrov"), entities)
    meeting = gold("CONSULT", "Khalifa Haftar", "Sergueï Lavrov")
    assert not exact_match(event("SUPPORT", "Haftar", "Lavrov"), meeting, {})
    assert not exact_match(event("CONSULT", "Haftar", "Choïgou"), meeting, {})
    assert not exact_match(event("CONSULT", "Lavrov", "Haftar"), meeting, {})
    protest = gold("PROTEST", "agriculteurs français", None)
    assert exact_match(event("PROTEST", "agriculteurs français", None), protest, {})
    assert not exact_match(event("PROTEST", "agriculteurs français", "Mercosur"), protest, {})


def test_english_triples_match_by_a_shared_word_and_on_the_actor_alone_without_a_gold_target():
    with_target = GsrResult("x", "", "AID", ["Finland"], ["Tanzania"], [])
    assert gsr_matches(with_target, ("AID", ["Finland"], ["the government of Tanzania"]))
    assert not gsr_matches(with_target, ("AID", ["Finland"], ["Kenya"]))
    assert not gsr_matches(with_target, ("AGREE", ["Finland"], ["Tanzania"]))
    ministry = GsrResult("x", "", "AID", ["the Finnish government"], ["Tanzania"], [])
    assert not gsr_matches(ministry, ("AID", ["The Ministry"], ["Tanzania"]))  # "the" tells no actor apart
    compound = GsrResult("x", "", "AGREE", ["United States", "Jordan"], [], [])
    assert gsr_matches(compound, ("AGREE", ["Jordan"], ["Washington"]))


def test_tag_recall_counts_gold_events_and_clean_no_event_texts():
    found = event("CONSULT", "Sergueï Lavrov", "Hakan Fidan")
    matched = FrResult({"events": [gold("CONSULT", "Sergueï Lavrov", "Hakan Fidan")], "covers": ["passive"]},
                       [found], {})
    matched.pairs.append((found, matched.gold[0]))
    noisy = FrResult({"events": [], "covers": ["no_event"]}, [event("FIGHT", "PSG", "OM")], {})
    clean = FrResult({"events": [], "covers": ["no_event"]}, [], {})
    assert tag_recall([matched, noisy, clean]) == {"no_event": (2, 1, 1), "passive": (1, 1, 1)}


def test_english_records_read_veille_types_in_plover_0_5_terms():
    assert plover_type(event("AID", "Finland", "Tanzania", hypothetical=True)) == "AGREE"
    assert plover_type(event("AID", "Finland", "Tanzania")) == "AID"
    assert plover_type(event("ACCUSE", "Sudan", "rebels")) == "DISAPPROVE"
    assert plover_type(event("REQUEST", "Serbia", "UN")) == "DEMAND"
    assert plover_type(event("SANCTION", "UN", "Iraq", hypothetical=True)) == "THREATEN"
    assert plover_type(event("SANCTION", "UN", "Iraq")) == "SANCTION"
