"""Wire credits: the credit-then-dateline search shared by the dump cleaner and the HTML path."""
from __future__ import annotations

from veille.clean.lines import find_wire_credit, load_lexicon
from veille.clean.wire import lift_wire_credit
from veille.records import Article

BODY = ["PARIS (AFP) - Les négociations ont repris lundi.", "Elles dureront trois jours.", "Un accord est attendu."]


def test_find_wire_credit_prefers_a_credit_line_and_gives_its_index():
    candidates = [(7, "Un accord est attendu."), (9, "(Source : Reuters)")]
    assert find_wire_credit(candidates, BODY[:2], load_lexicon()) == ("Reuters", 9)


def test_find_wire_credit_falls_back_on_the_dateline_without_an_index():
    assert find_wire_credit([(0, BODY[1])], BODY[:2], load_lexicon()) == ("AFP", None)


def test_find_wire_credit_finds_nothing_in_plain_text():
    assert find_wire_credit([(0, BODY[1])], BODY[1:], load_lexicon()) == (None, None)


def test_credit_paragraph_is_moved_into_wire_source():
    article = lift_wire_credit(Article(paragraphs=[*BODY, "(Reuters)"]))
    assert (article.wire_source, article.paragraphs) == ("Reuters", BODY)
    assert [(r.text, r.reason) for r in article.removed] == [("(Reuters)", "credit_line")]


def test_dateline_gives_the_wire_source_and_stays_in_the_text():
    article = lift_wire_credit(Article(paragraphs=list(BODY)))
    assert (article.wire_source, article.paragraphs, article.removed) == ("AFP", BODY, [])


def test_wire_source_already_set_by_the_page_is_kept():
    article = lift_wire_credit(Article(paragraphs=[*BODY, "(Reuters)"], wire_source="AP"))
    assert (article.wire_source, article.paragraphs) == ("AP", BODY)
