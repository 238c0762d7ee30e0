"""The quote evaluation's rules: word-overlap matching, speaker names, absent dev sets."""
from __future__ import annotations

from rich.console import Console

from eval import quotes as quote_eval
from eval.quotes import Found, GoldQuote, match, same_speaker

TEXT = "Le ministre a dit que la réforme serait retirée avant l'été prochain, selon la presse."


def span(words: str) -> tuple[int, int]:
    """Return the offsets of some words of TEXT."""
    start = TEXT.index(words)
    return start, start + len(words)


def test_quotes_match_at_half_the_longer_span_or_more():
    gold = GoldQuote(*span("la réforme serait retirée avant l'été prochain"), ["le ministre"], "indirect")
    close = Found(*span("que la réforme serait retirée avant l'été"), "indirect", [], "")
    far = Found(*span("prochain, selon la presse"), "indirect", [], "")
    assert match(TEXT, [close], [gold]) == [(close, gold)]
    assert match(TEXT, [far], [gold]) == []


def test_matching_is_one_to_one():
    gold = GoldQuote(*span("la réforme serait retirée"), [], "indirect")
    first = Found(*span("la réforme serait retirée"), "indirect", [], "")
    second = Found(*span("la réforme serait"), "indirect", [], "")
    assert match(TEXT, [second, first], [gold]) == [(first, gold)]


def test_speakers_match_folded_or_by_surname():
    assert same_speaker(["Sergueï Lavrov"], ["Sergueï LAVROV"])
    assert same_speaker(["Lavrov"], ["Sergueï Lavrov"])
    assert same_speaker(["Gregory W. Meeks"], ["Rep. Gregory W. Meeks (D-N.Y.), chairman of the caucus,"])
    assert same_speaker(["Eric Chauvier"], ["Éric Chauvier"])
    assert not same_speaker(["Dmitri Peskov"], ["Sergueï Lavrov"])
    assert not same_speaker([], ["Sergueï Lavrov"])


def test_absent_dev_sets_are_skipped_politely(tmp_path):
    console = Console(record=True, width=200)
    quote_eval.run(tmp_path, console)
    assert "is absent, skipping" in console.export_text()
