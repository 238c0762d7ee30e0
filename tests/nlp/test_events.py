"""Events: type, actor and target from the parse, with date, place, negation, modality and speaker."""
from __future__ import annotations

import pytest

from veille.nlp.annotate import annotate_parsed
from veille.nlp.event_lexicon import event_types, parse_trigger, triggers
from veille.nlp.models import load_model, model_name
from veille.nlp.parse import parse
from veille.records import Article, Event

PUBLISHED = "2024-03-06"  # a Wednesday


def events_of(text: str, language: str) -> list[Event]:
    """Annotate already-clean text (one paragraph per line) and return its events, checking offsets."""
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    article = Article(paragraphs=paragraphs, language=language,
                      published=PUBLISHED)
    parsed = parse(paragraphs, language, PUBLISHED, load_model(language), model_name(language))
    events = annotate_parsed(article, parsed).events
    for event in events:
        assert article.text[event.evidence.start:event.evidence.end] == event.evidence.text
    return events


def triples(events: list[Event]) -> set[tuple[str, str, str]]:
    """Return the (type, actor, target) of some events."""
    return {(e.type, e.actor, e.target) for e in events}


def only(events: list[Event], type_name: str) -> Event:
    """Return the one event of a type."""
    found = [e for e in events if e.type == type_name]
    assert len(found) == 1, events
    return found[0]


def test_a_passive_gives_the_agent_as_actor_with_the_place_and_the_day():
    events = events_of("Le ministre malien Ousmane Keïta a été reçu mardi à Dakar par le président "
                       "sénégalais Paul Ndiaye.", "fr")
    event = only(events, "CONSULT")
    assert (event.actor, event.target) == ("Paul Ndiaye", "Ousmane Keïta")
    assert (event.place, event.date) == ("Dakar", "2024-03-05")
    assert event.actor_entity and event.target_entity


def test_coordinated_subjects_and_a_clitic_object_give_one_event_each():
    events = events_of("Le général Omar Kessler a démissionné dimanche.\n"
                       "Le Tchad et le Niger lui ont exprimé leur soutien.", "fr")
    support = [e for e in events if e.type == "SUPPORT"]
    assert triples(support) == {("SUPPORT", "Tchad", "Omar Kessler"), ("SUPPORT", "Niger", "Omar Kessler")}
    assert all(event.date is None for event in support)  # the sentence gives none: not the publication date
    resigned = only(events, "RETREAT")  # no recipient needed: an identified actor is enough
    assert (resigned.actor, resigned.target, resigned.date) == ("Omar Kessler", None, "2024-03-03")


def test_a_clitic_with_two_people_before_it_is_left_alone():
    events = events_of("Paul Ndiaye a parlé avec Ousmane Keïta.\nLe Tchad lui a exprimé son soutien.", "fr")
    assert not [e for e in events if e.type == "SUPPORT"]


def test_a_denied_event_is_flagged_negated():
    event = only(events_of("Paul Ndiaye n'a pas rencontré Ousmane Keïta lors de son passage à Bamako.", "fr"),
                 "CONSULT")
    assert event.negated and not event.hypothetical


def test_a_possible_event_is_flagged_hypothetical():
    event = only(events_of("L'Union européenne pourrait imposer de nouvelles sanctions à la Russie.", "fr"),
                 "SANCTION")
    assert (event.actor, event.target) == ("Union européenne", "Russie")
    assert event.hypothetical and not event.negated


def test_an_event_told_in_a_quote_is_reported_by_its_speaker():
    events = events_of("« Le ministre Ousmane Keïta a rencontré hier Paul Ndiaye », a déclaré Awa Sarr.", "fr")
    event = only(events, "CONSULT")
    assert event.reported_by == "Awa Sarr"
    assert event.date == "2024-03-05"


def test_a_background_event_keeps_its_own_date():
    events = events_of("Le gouvernement s'est replié à Tobrouk lorsque les miliciens de l'Aube libyenne se sont "
                       "emparés de Tripoli en août 2014.", "fr")
    event = only(events, "FIGHT")
    assert (event.actor, event.target, event.date) == ("Aube libyenne", "Tripoli", "2014-08")


def test_no_event_without_an_identified_actor_or_target():
    assert events_of("Des discussions ont eu lieu mardi.\nIl a rencontré des journalistes.", "fr") == []
    assert events_of("La chanteuse a reçu un prix pour son dernier album.", "fr") == []


def test_english_passive_negation_and_modality():
    event = only(events_of("Vladimir Putin was received by Chinese leaders in Beijing on Monday.", "en"), "CONSULT")
    assert (event.actor, event.target, event.place) == ("Chinese leaders", "Vladimir Putin", "Beijing")
    assert event.date == "2024-03-04"
    event = only(events_of("The European Union could impose sanctions on Iran.", "en"), "SANCTION")
    assert (event.actor, event.target, event.hypothetical) == ("European Union", "Iran", True)
    event = only(events_of("Angela Merkel did not meet Emmanuel Macron in Paris.", "en"), "CONSULT")
    assert event.negated


def test_english_coordinated_actors():
    events = events_of("Egypt and Jordan backed the Palestinian Authority on Tuesday.", "en")
    assert {(e.actor, e.target) for e in events if e.type == "SUPPORT"} == {
        ("Egypt", "Palestinian Authority"), ("Jordan", "Palestinian Authority")}


def test_every_trigger_names_a_known_type_and_carries_its_cameo_root():
    for language in ("fr", "en"):
        table = triggers(language)
        assert table, language
        for found in table.values():
            assert all(trigger.type in event_types() for trigger in found)
    events = events_of("Paul Ndiaye a rencontré Ousmane Keïta à Dakar.", "fr")
    assert only(events, "CONSULT").cameo == event_types()["CONSULT"].cameo[0]


@pytest.mark.parametrize("phrase, expected", [
    ("recevoir", ("recevoir", False, None, frozenset(), frozenset(), False)),
    ("s'entretenir avec", ("entretenir", True, None, frozenset(), {"avec"}, False)),
    ("exprimer [soutien|appui] à", ("exprimer", False, None, {"soutien", "appui"}, {"à"}, False)),
    ("recevoir [aide] de:actor", ("recevoir", False, None, {"aide"}, {"de"}, True)),
    ("pull out", ("pull", False, "out", frozenset(), frozenset(), False)),
])
def test_trigger_phrases_are_read_by_their_grammar(phrase, expected):
    trigger = parse_trigger("X", phrase, frozenset({"out"}))
    assert (trigger.verb, trigger.reflexive, trigger.particle, trigger.objects, trigger.markers,
            trigger.reversed) == expected


@pytest.mark.parametrize("phrase", ["[aide]", "solliciter [aide de", "rencontrer avec à chez"])
def test_a_malformed_trigger_is_refused_with_its_phrase(phrase):
    with pytest.raises(ValueError, match="event trigger"):
        parse_trigger("REQUEST", phrase)


@pytest.mark.parametrize("language, text", [
    ("en", "Senator Ann Whitlow visited the Canadian border near Detroit on Monday."),
    ("en", "The start-up Novalink received FDA clearance for its heart monitor."),
    ("fr", "La Belgique occupait la deuxième place du classement en 2018 pour reculer à la quatrième place en 2019."),
    ("fr", "Le groupe Ardenne a reçu mardi l'aval de l'Autorité des marchés financiers."),
])
def test_no_event_from_senses_that_are_not_political_events(language, text):
    assert events_of(text, language) == []


def test_a_denied_meeting_is_negated():
    event = only(events_of("The singer Dana Cole denied having met the producer Tom Reyes.", "en"), "CONSULT")
    assert event.negated
    event = only(events_of("Le ministre Paul Ndiaye a démenti avoir reçu Awa Sarr à Dakar.", "fr"), "CONSULT")
    assert event.negated


def test_a_misparsed_second_subject_is_not_an_actor():
    events = events_of("The parent company, Orvane Group, said its chief Leo Marsh stepped down on Friday.", "en")
    assert {e.actor for e in events if e.type == "RETREAT"} <= {"Leo Marsh"}


def test_whom_a_call_is_addressed_to_does_what_is_called_for():
    events = events_of("L'Union africaine a salué mardi un signal encourageant et appelé toutes les parties à "
                       "respecter le cessez-le-feu.", "fr")
    assert not [e for e in events if e.actor == "Union africaine" and e.type == "RETREAT"]
    event = only(events_of("The European Union urged Serbia to release the detained journalist Ana Petrov.", "en"),
                 "RETREAT")
    assert (event.actor, event.target, event.hypothetical) == ("Serbia", "Ana Petrov", True)


def test_a_dateline_place_is_not_the_actor():
    event = only(events_of("BOGOTA, Colombia (AP) — Foreign Minister Laura Quintero on Monday accused Venezuela of "
                           "sheltering rebels.", "en"), "ACCUSE")
    assert (event.actor, event.target) == ("Laura Quintero", "Venezuela")
