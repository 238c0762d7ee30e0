"""`veille events` on a store written by the real writer, and `veille show` with an article's events."""
from __future__ import annotations

from pathlib import Path

import pytest

from veille.nlp.entities import entity_id
from veille.records import Article, Entity, Event, Mention, Page, Span
from veille.store.writer import StoreWriter

NDIAYE, SARR, BA = "Paul Ndiaye", "Awa Sarr", "Omar Ba"
MET = "Le ministre Paul Ndiaye a rencontré Awa Sarr à Dakar lundi, selon son cabinet."
DENIED = "Paul Ndiaye n'a pas rencontré Omar Ba, a précisé le ministère."
ACCUSED = "Awa Sarr a accusé le gouvernement de retarder la réforme du code minier."
MIGHT = "Le Sénégal pourrait imposer de nouvelles sanctions aux exportateurs de bois."
# Two outlets report the meeting; the first also reports a denial, an accusation and a threat of sanctions.
ARTICLES = (("events-a", "dakar-soir.example", "2025-05-10", (MET, DENIED, ACCUSED, MIGHT)),
            ("events-b", "lejournal.example", "2025-05-11", ("Selon son entourage, " + MET,)))


def person(name: str, text: str) -> Entity:
    """Return a person entity with its mentions in a text, its id as the annotate stage makes it."""
    starts = [i for i in range(len(text)) if text.startswith(name, i)]
    return Entity(entity_id("PER", name), name, "PER", mentions=[Mention(s, s + len(name), name) for s in starts])


def sentence_event(text: str, sentence: str, type: str, actor: str | None, target: str | None, **fields) -> Event:
    """Return an event of one sentence of a text, its sides tied to their entities' ids."""
    start = text.index(sentence)
    return Event(type, actor, target, Span(start, start + len(sentence), sentence),
                 actor_entity=entity_id("PER", actor) if actor in (NDIAYE, SARR, BA) else None,
                 target_entity=entity_id("PER", target) if target in (NDIAYE, SARR, BA) else None, **fields)


def events_of(text: str) -> list[Event]:
    """Return the hand-made events of the sentences an article holds."""
    made = {MET: lambda: sentence_event(text, MET, "CONSULT", NDIAYE, SARR, place="Dakar", date="2025-05-05",
                                        cameo="04"),
            DENIED: lambda: sentence_event(text, DENIED, "CONSULT", NDIAYE, BA, negated=True, cameo="04"),
            ACCUSED: lambda: sentence_event(text, ACCUSED, "ACCUSE", SARR, "le gouvernement", cameo="11"),
            MIGHT: lambda: sentence_event(text, MIGHT, "SANCTION", "Le Sénégal", "les exportateurs de bois",
                                          hypothetical=True, cameo="16")}
    return [make() for sentence, make in made.items() if sentence in text]


def write_event_store(path: Path, with_events: bool = True) -> str:
    """Write the articles above, with their entities and (unless told not to) their events; return the path."""
    results = []
    for name, site, published, paragraphs in ARTICLES:
        page = Page(source=f"{name}.txt", content="\n".join(paragraphs), format="article", site=site)
        article = Article(id=page.id, source=page.source, site=site, title=name, published=published, language="fr",
                          paragraphs=list(paragraphs))
        article.entities = [person(who, article.text) for who in (NDIAYE, SARR, BA) if who in article.text]
        article.events = events_of(article.text) if with_events else []
        results.append((page, article))
    with StoreWriter(str(path)) as writer:
        writer.write_batch(results)
    return str(path)


@pytest.fixture(scope="module")
def event_db(tmp_path_factory) -> str:
    """Return a store holding two articles and their hand-made events."""
    return write_event_store(tmp_path_factory.mktemp("events") / "events.duckdb")


@pytest.fixture
def wide(monkeypatch):
    """Give rich a wide terminal, so that table cells are not wrapped."""
    monkeypatch.setenv("COLUMNS", "240")


def listed(cli, db: str, *args: str) -> list[dict]:
    """Return `veille events --json` with some filters, as dicts."""
    result = cli("events", "--db", db, "--json", *args)
    assert result.code == 0, result.err
    return result.jsonl()


def sides(events: list[dict]) -> list[tuple]:
    """Return (type, actor, target, negated) of each event, in the order listed."""
    return [(e["type"], e["actor"], e["target"], e["negated"]) for e in events]


def test_one_event_reported_twice_is_one_row_with_both_sources(cli, event_db):
    events = listed(cli, event_db)
    assert len(events) == 4
    [meeting] = [e for e in events if e["target"] == SARR]
    assert meeting["reports"] == 2 and meeting["date"] == "2025-05-05" and meeting["first_reported"] == "2025-05-10"
    assert [s["site"] for s in meeting["sources"]] == ["dakar-soir.example", "lejournal.example"]
    assert all(s["evidence"].endswith(MET) for s in meeting["sources"])
    assert [e["reports"] for e in events if e is not meeting] == [1, 1, 1]


def test_events_keep_their_flags_and_cameo_code(cli, event_db):
    by_type = {(e["type"], e["negated"]): e for e in listed(cli, event_db)}
    assert by_type[("SANCTION", False)]["hypothetical"] is True and by_type[("SANCTION", False)]["cameo"] == "16"
    assert by_type[("CONSULT", True)]["target"] == BA and by_type[("CONSULT", True)]["hypothetical"] is False
    assert by_type[("SANCTION", False)]["date"] is None


def test_filters_by_type_actor_target_and_dates(cli, event_db):
    # Latest first: the denial has no date of its own and is dated by its report, after the meeting.
    assert sides(listed(cli, event_db, "--type", "consult")) == [("CONSULT", NDIAYE, BA, True),
                                                                 ("CONSULT", NDIAYE, SARR, False)]
    assert {e["target"] for e in listed(cli, event_db, "--actor", NDIAYE)} == {SARR, BA}
    assert sides(listed(cli, event_db, "--target", "awa sarr")) == [("CONSULT", NDIAYE, SARR, False)]
    # Without a date of its own, an event is dated by its first report (2025-05-10).
    assert {e["type"] for e in listed(cli, event_db, "--from", "2025-05-06")} == {"CONSULT", "ACCUSE", "SANCTION"}
    assert [e["date"] for e in listed(cli, event_db, "--to", "2025-05-05")] == ["2025-05-05"]
    assert len(listed(cli, event_db, "--from", "2025-05", "--to", "2025")) == 4


def test_json_lines_are_one_event_a_line_and_limit_cuts_them(cli, event_db):
    result = cli("events", "--db", event_db, "--json", "--limit", "2")
    assert result.code == 0 and len(result.out.splitlines()) == 2
    assert all(line.startswith('{"id": ') for line in result.out.splitlines())


def row_of(out: str, *words: str) -> tuple[str, str]:
    """Return the two lines of the table row whose first line holds all the words."""
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if all(word in line for word in words))
    return lines[at], lines[at + 1]


def test_table_shows_dates_sides_flags_and_evidence(cli, event_db, wide):
    result = cli("events", "--db", event_db)
    assert result.code == 0 and "4 event(s)" in result.out
    first, second = row_of(result.out, "Paul Ndiaye → Awa Sarr")
    assert first.split() == ["2025-05-05", "CONSULT", "2", *"Paul Ndiaye → Awa Sarr Dakar".split(), *MET.split()]
    assert second.split() == ["2025-05-10", "2"]  # first reported, by two outlets
    first, second = row_of(result.out, "Paul Ndiaye → Omar Ba")
    assert first.split()[:3] == ["—", "CONSULT", "1"] and second.split() == ["2025-05-10", "not", "1"]
    assert row_of(result.out, "SANCTION")[1].split() == ["2025-05-10", "possible", "1"]


def test_table_says_when_more_events_match_than_it_shows(cli, event_db, wide):
    result = cli("events", "--db", event_db, "--limit", "1")
    assert result.code == 0 and "showing 1 of 4" in result.out


def test_long_evidence_is_shortened_at_a_word():
    from veille.display import shorten

    text = "Le ministre a rencontré " + "les représentants des syndicats " * 10
    short = shorten(text, 60)
    assert len(short) <= 60 and short.endswith("…") and text.startswith(short[:-1])
    assert shorten("  deux\nlignes ") == "deux lignes"


def test_an_unknown_type_is_refused_by_name(cli, event_db):
    result = cli("events", "--db", event_db, "--type", "MEET")
    assert result.code == 2 and "'MEET'" in result.err and "CONSULT" in result.err
    assert len(result.err.strip().splitlines()) == 1 and result.out == ""


def test_a_bad_date_or_limit_is_refused(cli, event_db):
    for option, value in (("--from", "last week"), ("--to", "2025-5-1")):
        result = cli("events", "--db", event_db, option, value)
        assert result.code == 2 and f"{option} {value!r}" in result.err and "YYYY" in result.err
    assert cli("events", "--db", event_db, "--limit", "0").code == 2


def test_a_store_without_events_says_so(cli, tmp_path):
    db = write_event_store(tmp_path / "none.duckdb", with_events=False)
    shown = cli("events", "--db", db)
    assert shown.code == 0 and "no events in" in shown.out
    as_json = cli("events", "--db", db, "--json")
    assert as_json.code == 0 and as_json.out == "" and "no events in" in as_json.err


def test_filters_that_match_nothing_say_so(cli, event_db):
    result = cli("events", "--db", event_db, "--type", "FIGHT")
    assert result.code == 0 and "no events match" in result.out


def test_a_missing_store_is_a_store_error(cli, tmp_path):
    result = cli("events", "--db", tmp_path / "absent.duckdb")
    assert result.code == 3 and "veille ingest" in result.err


def test_show_prints_an_article_s_events_with_their_flags(cli, event_db, wide):
    article_id = listed(cli, event_db, "--type", "SANCTION")[0]["sources"][0]["article_id"]
    lines = cli("show", article_id, "--db", event_db).out.splitlines()
    events = [line for line in lines if line.startswith("event ")]
    assert len(events) == 4
    assert f"event CONSULT (not) Paul Ndiaye → Omar Ba: {DENIED}" in events
    assert f"event SANCTION (possible) Le Sénégal → les exportateurs de bois: {MIGHT}" in events
    assert f"event CONSULT Paul Ndiaye → Awa Sarr, at Dakar, on 2025-05-05: {MET}" in events


def test_events_command_has_help(cli):
    result = cli("events", "--help")
    assert result.code == 0 and "--type" in result.out and "--json" in result.out
