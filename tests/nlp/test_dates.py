"""Date expressions in French and English, resolved against a fixed publication date.

Publication date in these tests: Tuesday 29 November 2016 (the seed page's).
"""
from __future__ import annotations

import re
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import SEED
from veille.nlp.dates import find_dates, grammar
from veille.nlp.models import load_model
from veille.nlp.parse import parse
from veille.records import PARAGRAPH_SEPARATOR

PUBLISHED = "2016-11-29"  # a Tuesday


def dates_of(text: str, language: str = "fr", published: str | None = PUBLISHED, model: bool = True):
    """Return (text, resolved, granularity) of each date found in a text of paragraphs."""
    nlp = load_model(language) if model else None
    parsed = parse(text.split(PARAGRAPH_SEPARATOR), language, published, nlp, "test-model" if nlp else None)
    return [(ref.text, ref.resolved, ref.granularity) for ref in find_dates(parsed)]


def only(text: str, **options):
    """Return the one date of a text (the test fails if there is not exactly one)."""
    found = dates_of(text, **options)
    assert len(found) == 1, found
    return found[0]


# -- French ------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, expected", [
    ("Le ministre a reçu hier son homologue.", ("hier", "2016-11-28", "day")),
    ("Il est arrivé avant-hier à Moscou.", ("avant-hier", "2016-11-27", "day")),
    ("Le ministre a annoncé aujourd'hui sa démission.", ("aujourd'hui", "2016-11-29", "day")),
    ("Le ministre se rendra demain à Paris.", ("demain", "2016-11-30", "day")),
    ("Il est rentré hier soir de Moscou.", ("hier soir", "2016-11-28", "day")),
])
def test_french_relative_days_count_from_publication(sentence, expected):
    assert only(sentence) == expected


def test_french_today_in_the_present_means_nowadays_not_a_day():
    assert dates_of("Notre objectif aujourd'hui est de vaincre le terrorisme.") == []


@pytest.mark.parametrize("sentence, expected", [
    ("Il a rencontré lundi le ministre de la Défense.", ("lundi", "2016-11-28")),
    ("Il a rencontré mercredi le ministre de la Défense.", ("mercredi", "2016-11-23")),
    ("Le sommet a eu lieu mardi à Berlin.", ("mardi", "2016-11-29")),
    ("Le ministre rencontrera mercredi son homologue.", ("mercredi", "2016-11-30")),
    ("Le ministre va rencontrer lundi son homologue.", ("lundi", "2016-12-05")),
    ("Les syndicats prévoient de manifester jeudi.", ("jeudi", "2016-12-01")),
    ("Il a rencontré lundi dernier le ministre.", ("lundi dernier", "2016-11-28")),
    ("Le vote a eu lieu mardi dernier.", ("mardi dernier", "2016-11-22")),
    ("Il rencontrera le ministre lundi prochain.", ("lundi prochain", "2016-12-05")),
    ("Des frappes ont visé la ville dimanche soir.", ("dimanche soir", "2016-11-27")),
])
def test_french_weekdays_point_back_in_the_past_and_forward_in_the_future(sentence, expected):
    text, resolved, granularity = only(sentence)
    assert (text, resolved, granularity) == (*expected, "day")


def test_weekdays_fall_back_to_the_past_without_a_model():
    assert only("Le ministre rencontrera mercredi son homologue.", model=False)[1] == "2016-11-23"


@pytest.mark.parametrize("sentence, expected", [
    ("Il s'était rendu en Russie en septembre.", ("en septembre", "2016-09")),
    ("Il s'était rendu en Russie en décembre.", ("en décembre", "2015-12")),
    ("Le sommet se tiendra en décembre à Paris.", ("en décembre", "2016-12")),
    ("Le sommet se tiendra en février à Paris.", ("en février", "2017-02")),
    ("Il avait été reçu à la mi-septembre par le ministre.", ("à la mi-septembre", "2016-09")),
    ("Le contrat a été signé en juin dernier.", ("en juin dernier", "2016-06")),
    ("Tripoli a été prise en août 2014.", ("en août 2014", "2014-08")),
    ("L'épidémie a commencé à la mi-mars 2020.", ("à la mi-mars 2020", "2020-03")),
])
def test_french_months_in_the_year_the_tense_points_to(sentence, expected):
    assert only(sentence) == (*expected, "month")


@pytest.mark.parametrize("sentence, expected", [
    ("L'accord a été signé le 3 mars à Genève.", ("le 3 mars", "2016-03-03")),
    ("L'accord a été signé le 3 décembre à Genève.", ("le 3 décembre", "2015-12-03")),
    ("Le sommet aura lieu le 3 mars à Genève.", ("le 3 mars", "2017-03-03")),
    ("Les étudiants seront en grève à compter du 5 décembre.", ("5 décembre", "2016-12-05")),
    ("Le texte a été publié le 11 janvier dernier.", ("le 11 janvier dernier", "2016-01-11")),
    ("L'accord a été signé le 3 mars 2015 à Genève.", ("le 3 mars 2015", "2015-03-03")),
    ("La loi est entrée en vigueur le 1er janvier 2012.", ("le 1er janvier 2012", "2012-01-01")),
    ("Le sommet s'est tenu le mardi 12 juillet 2016.", ("le mardi 12 juillet 2016", "2016-07-12")),
])
def test_french_day_month_dates(sentence, expected):
    assert only(sentence) == (*expected, "day")


@pytest.mark.parametrize("sentence, expected", [
    ("L'embargo imposé en 2011 par l'Onu reste en vigueur.", ("en 2011", "2011")),
    ("La crise de 2008 a tout changé.", ("2008", "2008")),
    ("Il est au pouvoir depuis 1999.", ("depuis 1999", "1999")),
])
def test_french_years(sentence, expected):
    assert only(sentence) == (*expected, "year")


@pytest.mark.parametrize("sentence, expected", [
    ("La semaine dernière, le ministre a démissionné.", ("La semaine dernière", "2016-11-21", "week")),
    ("Le vote aura lieu la semaine prochaine.", ("la semaine prochaine", "2016-12-05", "week")),
    ("Les manifestants ont défilé ce week-end.", ("ce week-end", "2016-11-21", "week")),
    ("Le chômage a baissé le mois dernier.", ("le mois dernier", "2016-10", "month")),
    ("La croissance a ralenti l'an dernier.", ("l'an dernier", "2015", "year")),
    ("La croissance a ralenti l’année dernière.", ("l’année dernière", "2015", "year")),
])
def test_french_relative_periods(sentence, expected):
    assert only(sentence) == expected


@pytest.mark.parametrize("language, sentence, expected", [
    ("fr", "Il est arrivé il y a trois jours.", ("il y a trois jours", "2016-11-26", "day")),
    ("fr", "Le traité a été signé il y a 2 semaines.", ("il y a 2 semaines", "2016-11-14", "week")),
    ("fr", "Il a quitté le pouvoir il y a deux ans.", ("il y a deux ans", "2014", "year")),
    ("en", "He arrived three days ago.", ("three days ago", "2016-11-26", "day")),
    ("en", "The treaty was signed a year ago.", ("a year ago", "2015", "year")),
])
def test_counts_of_units_before_publication(language, sentence, expected):
    assert only(sentence, language=language) == expected


def test_vague_counts_are_not_dates():
    assert dates_of("Il y a quelques jours, puis il y a moins de dix ans.") == []


@pytest.mark.parametrize("sentence", [
    "Plus de 2011 personnes ont été arrêtées.",
    "Le décret n°2019-1130 valide les statuts.",
    "Le contrat vaut 2 011 000 euros, soit 2011,5 euros par jour.",
    "La réunion a commencé à 14h30 et le score était de 3-1.",
    "Il a gagné 1500 euros en 12 mois.",
    "La planète Mars est visible ce mois.",
])
def test_numbers_and_words_that_are_not_dates_are_left_alone(sentence):
    assert dates_of(sentence) == []


def test_an_impossible_day_is_not_read_as_a_day():
    assert all(granularity != "day" for _, _, granularity in dates_of("Il est né le 31 avril 2015."))


# -- English -----------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, expected", [
    ("The minister arrived in Moscow yesterday.", ("yesterday", "2016-11-28", "day")),
    ("The minister met his Russian counterpart on Monday.", ("on Monday", "2016-11-28", "day")),
    ("The minister met his Russian counterpart last Monday.", ("last Monday", "2016-11-28", "day")),
    ("The minister will meet his counterpart on Thursday.", ("on Thursday", "2016-12-01", "day")),
    ("The minister will meet his counterpart next Monday.", ("next Monday", "2016-12-05", "day")),
    ("Rebels shelled the town on Sunday night.", ("on Sunday night", "2016-11-27", "day")),
    ("The talks collapsed last week.", ("last week", "2016-11-21", "week")),
    ("Unemployment fell last month.", ("last month", "2016-10", "month")),
    ("He visited Russia in September.", ("in September", "2016-09", "month")),
    ("He visited Russia in December.", ("in December", "2015-12", "month")),
    ("The summit will be held in February.", ("in February", "2017-02", "month")),
    ("Fighting resumed in mid-September.", ("in mid-September", "2016-09", "month")),
    ("The deal was signed on March 3.", ("on March 3", "2016-03-03", "day")),
    ("The deal was signed on Sept. 3, 2015, in Geneva.", ("on Sept. 3, 2015", "2015-09-03", "day")),
    ("The deal was signed on 3 March 2015 in Geneva.", ("on 3 March 2015", "2015-03-03", "day")),
    ("Tripoli fell in August 2014.", ("in August 2014", "2014-08", "month")),
    ("The embargo imposed in 2011 remains.", ("in 2011", "2011", "year")),
    ("The minister is scheduled to meet his counterpart on Thursday.", ("on Thursday", "2016-12-01", "day")),
    ("The results came in Sept. 19, a day after the vote.", ("Sept. 19", "2016-09-19", "day")),
])
def test_english_expressions(sentence, expected):
    assert only(sentence, language="en") == expected


@pytest.mark.parametrize("sentence", [
    "The talks may resume soon.",
    "More than 2011 people were arrested.",
    "The march on the capital drew crowds.",
    "The anchor moved to Russia Today last year.",
])
def test_english_words_and_numbers_that_are_not_dates(sentence):
    assert all(text != "Today" and not text[0].isdigit() and text.lower() != "may"
               for text, _, _ in dates_of(sentence, language="en"))
    assert "march" not in {text.lower() for text, _, _ in dates_of(sentence, language="en")}


def test_full_dates_of_another_language_are_read_too():
    assert only("« Merci à tous », a écrit le ministre le March 16, 2020 sur Twitter.")[1:] == ("2020-03-16", "day")


# -- without a publication date ----------------------------------------------------------

def test_without_publication_date_relative_expressions_stay_unresolved():
    text = "Il a rencontré hier puis lundi le ministre, et s'était rendu à Moscou en septembre, le 3 mars et l'an dernier."
    found = dates_of(text, published=None)
    assert [ref[0] for ref in found] == ["hier", "lundi", "en septembre", "le 3 mars", "l'an dernier"]
    assert all(resolved is None for _, resolved, _ in found)


def test_without_publication_date_absolute_expressions_still_resolve():
    found = dates_of("Tripoli a été prise en août 2014, après l'accord du 3 mars 2015 et l'embargo de 2011.",
                     published=None)
    assert [resolved for _, resolved, _ in found] == ["2014-08", "2015-03-03", "2011"]


def test_counts_of_units_without_publication_date_are_unresolved():
    assert only("Il est arrivé il y a trois jours.", published=None) == ("il y a trois jours", None, "day")


def test_yesterday_in_english_without_publication_date_is_unresolved():
    assert only("The minister arrived yesterday.", language="en", published=None) == ("yesterday", None, "day")


# -- offsets, the seed page, and arbitrary text --------------------------------------------

def test_offsets_slice_to_the_expression_across_paragraphs():
    paragraphs = ["Le ministre a reçu hier son homologue.", "Il s'était rendu en Russie en septembre.",
                  "L'embargo imposé en 2011 par l'Onu."]
    parsed = parse(paragraphs, "fr", PUBLISHED, load_model("fr"), "test-model")
    refs = find_dates(parsed)
    assert [ref.text for ref in refs] == ["hier", "en septembre", "en 2011"]
    assert all(parsed.text[ref.start:ref.end] == ref.text for ref in refs)


def test_the_seed_page_gives_every_expected_date(seed_expected):
    from veille.nlp.annotate import parse_article
    from veille.pipeline import clean_page
    from veille.sources import SourceOptions, read_pages

    [page] = list(read_pages([str(SEED)], SourceOptions(published=seed_expected["published"])))
    article = clean_page(page)
    article.language = seed_expected["language"]
    found = {(ref.text, ref.resolved) for ref in find_dates(parse_article(article))}
    assert found == {(date["expression"], date["date"]) for date in seed_expected["dates_resolved"]}


@pytest.mark.parametrize("expression, language", [
    ("hier", "fr"), ("avant-hier", "fr"), ("3 mars 2015", "fr"), ("yesterday", "en"), ("Sept. 3, 2015", "en"),
])
def test_day_level_values_agree_with_dateparser_where_it_is_right(expression, language):
    import dateparser

    expected = dateparser.parse(expression, languages=[language],
                                settings={"RELATIVE_BASE": datetime(2016, 11, 29)}).date().isoformat()
    assert only(expression, language=language, model=False)[1] == expected


WORDS = sorted({word for language in ("fr", "en") for table in ("months", "weekdays", "relative_days")
                for word in getattr(grammar(language), table)}
               | {"en", "le", "in", "on", "last", "dernier", "prochain", "mi-", "2011", "1er", "3", "31", "la semaine"})


@settings(max_examples=150, deadline=None)
@given(pieces=st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=6)), max_size=25),
       separators=st.lists(st.sampled_from([" ", "  ", ", ", "\n\n", "-", "'", "’", "\u00a0", ""]), min_size=25, max_size=25),
       language=st.sampled_from(["fr", "en"]),
       published=st.one_of(st.none(), st.dates().map(lambda d: d.isoformat())))
def test_arbitrary_text_never_crashes_and_offsets_slice(pieces, separators, language, published):
    text = "".join(piece + separator for piece, separator in zip(pieces, separators))
    parsed = parse(text.split(PARAGRAPH_SEPARATOR), language, published, None)
    refs = find_dates(parsed)
    for ref in refs:
        assert parsed.text[ref.start:ref.end] == ref.text
        assert ref.granularity in {"day", "week", "month", "year"}
        if ref.resolved is not None:
            assert re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", ref.resolved)
    assert all(a.end <= b.start for a, b in zip(refs, refs[1:]))


@settings(max_examples=25, deadline=None)
@given(pieces=st.lists(st.sampled_from(WORDS + ["Il a", "sera", "a été", ".", "reçu", "«", "»"]), max_size=20))
def test_arbitrary_words_through_the_french_parse_never_crash(pieces):
    parsed = parse([" ".join(pieces)], "fr", PUBLISHED, load_model("fr"), "test-model")
    assert all(parsed.text[ref.start:ref.end] == ref.text for ref in find_dates(parsed))
