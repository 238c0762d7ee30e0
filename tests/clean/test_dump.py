"""The plain-text dump cleaner: the seed page, hand-written dumps, invariants and regressions.

Most tests call ``clean_dump`` with the page's language as the hint; the ``process_page``
tests run the same dumps as production does, with the language detected on the page text.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from veille.clean.boilerplate import normalize_line
from veille.clean.dump import clean_dump
from veille.clean.lines import load_lexicon, parse_byline, parse_credit, parse_date, parse_dateline
from veille.pipeline import process_page
from veille.records import Article, Page

DATA = Path(__file__).parent.parent / "data"
SEED = DATA / "seed" / "lorient-haftar-moscou.txt"
EXPECTED = json.loads((DATA / "seed" / "lorient-haftar-moscou.expected.json").read_text(encoding="utf-8"))
DUMPS = DATA / "dumps"
SNAKE_CASE = re.compile(r"^[a-z]+(_[a-z]+)*$")


def input_lines(text: str) -> set[str]:
    """Return the input lines as the cleaner may emit them: whitespace stripped and collapsed."""
    return {" ".join(line.split()) for line in text.splitlines()}


def run_pipeline(text: str) -> Article:
    """Return the article process_page makes of a dump given as UTF-8 bytes, with no URL to date it."""
    article = process_page(Page(source="test-dump", content=text.encode("utf-8"), format="dump"))
    assert isinstance(article, Article), article
    return article


def accounted(article) -> list[str]:
    """Return every line the article accounts for: kept, removed or lifted into metadata."""
    return article.paragraphs + [r.text for r in article.removed] + article.meta.get("lifted", [])


@pytest.fixture(scope="module")
def seed():
    return clean_dump(SEED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def english():
    return clean_dump((DUMPS / "en-harbour-bridge.txt").read_text(encoding="utf-8"), language_hint="en")


@pytest.fixture(scope="module")
def french():
    return clean_dump((DUMPS / "fr-marche-couvert.txt").read_text(encoding="utf-8"), language_hint="fr")


# -- the seed page -----------------------------------------------------------------------

def test_seed_metadata(seed):
    assert seed.section == EXPECTED["section"]
    assert seed.title == EXPECTED["title"]
    assert seed.wire_source == EXPECTED["wire_source"]
    assert seed.published is None and seed.published_from is None  # the page states no date


def test_seed_keeps_exactly_the_four_body_paragraphs(seed):
    assert len(seed.paragraphs) == 4
    for paragraph, start in zip(seed.paragraphs, EXPECTED["body_paragraphs_start_with"]):
        assert paragraph.startswith(start)


def test_seed_boilerplate_lines_are_not_paragraphs(seed):
    removed = {r.text for r in seed.removed}
    for line in EXPECTED["boilerplate_lines"]:
        assert line not in seed.paragraphs
        assert line in removed


def test_seed_truncated_copy_is_removed_with_its_reason(seed):
    truncated = [r for r in seed.removed if r.text.endswith("Notre...")]
    assert len(truncated) == 1 and truncated[0].reason == "truncated_copy"
    assert not any(p.endswith("Notre...") for p in seed.paragraphs)


def test_seed_credit_line_is_removed_as_credit(seed):
    assert {r.text: r.reason for r in seed.removed}["(Source : Reuters)"] == "credit_line"


def test_every_line_is_kept_removed_or_lifted(seed, english, french):
    for article, path in ((seed, SEED), (english, DUMPS / "en-harbour-bridge.txt"),
                          (french, DUMPS / "fr-marche-couvert.txt")):
        lines = [" ".join(line.split()) for line in path.read_text(encoding="utf-8").splitlines()]
        assert sorted(accounted(article)) == sorted(line for line in lines if line)
        assert all(SNAKE_CASE.match(r.reason) for r in article.removed)


def test_lifted_lines_are_title_section_byline_and_date(english):
    assert english.meta["lifted"] == ["Local news", "Harbour town votes to rebuild its old bridge",
                                      "By Jane Hollis", "November 20, 2019"]


# -- hand-written dumps --------------------------------------------------------------------

def test_english_dump_metadata(english):
    assert english.title == "Harbour town votes to rebuild its old bridge"
    assert english.section == "Local news"
    assert english.byline == "Jane Hollis"
    assert (english.published, english.published_from) == ("2019-11-20", "text")
    assert english.wire_source == "AP"  # from the dateline "WELLSPORT (AP) —"


@pytest.mark.parametrize("snippet", [
    "WELLSPORT (AP) — The town council of Wellsport voted",
    "we are building a road that people will use every day",
    "shared between the town and the regional transport fund.",
])
def test_english_dump_must_contain(english, snippet):
    assert snippet in english.text


@pytest.mark.parametrize("snippet", [
    "Skip to content", "Sign in", "Photo: The old bridge", "Advertisement", "Related stories",
    "Council delays decision", "Comments (2)", "I have crossed that bridge", "Eighteen months is optimistic",
    "Privacy Policy", "All rights reserved",
])
def test_english_dump_must_not_contain(english, snippet):
    assert snippet not in english.text


def test_french_dump_metadata(french):
    assert french.title == "Le marché couvert de Pontivy rouvrira au printemps"
    assert french.section == "Régions - Bretagne"
    assert french.byline == "Kab Niang"
    assert (french.published, french.published_from) == ("2016-11-29", "text")
    assert french.wire_source == "AFP"  # from the credit line "(avec AFP)"


def test_french_dump_keeps_the_four_paragraphs(french):
    assert [p[:20] for p in french.paragraphs] == [
        "Fermé depuis l'incen", "La charpente métalli", "« Les commerçants on", "Pendant les travaux,"]


@pytest.mark.parametrize("snippet", [
    "Rechercher", "S'abonner", "Partager sur Facebook", "(avec AFP)", "À lire aussi",
    "Le centre-ville de Pontivy veut attirer", "Commentaires (1)", "agrandir le parking",
    "Retour en haut", "Mentions légales", "a annoncé lundi la municipalité...",
])
def test_french_dump_must_not_contain(french, snippet):
    assert snippet not in french.text


@pytest.mark.parametrize(("path", "language", "title", "published"), [
    (SEED, "fr", EXPECTED["title"], None),
    (DUMPS / "en-harbour-bridge.txt", "en", "Harbour town votes to rebuild its old bridge", "2019-11-20"),
    (DUMPS / "fr-marche-couvert.txt", "fr", "Le marché couvert de Pontivy rouvrira au printemps", "2016-11-29"),
], ids=["seed", "english", "french"])
def test_hand_written_dump_through_the_pipeline_gives_its_title_and_date(path, language, title, published):
    text = path.read_text(encoding="utf-8")
    article = run_pipeline(text)
    assert (article.language, article.title, article.published) == (language, title, published)
    assert article.published_from == ("text" if published else None)
    assert article.paragraphs == clean_dump(text, language_hint=language).paragraphs


# -- known boilerplate ---------------------------------------------------------------------

def test_known_boilerplate_lines_are_removed_as_site_boilerplate():
    text = SEED.read_text(encoding="utf-8")
    last = EXPECTED["body_paragraphs_start_with"][-1]
    line = next(line for line in text.splitlines() if line.startswith(last))
    article = clean_dump(text, known_boilerplate=frozenset({normalize_line(line)}))
    assert len(article.paragraphs) == 3
    assert {r.text: r.reason for r in article.removed}[line] == "site_boilerplate"


def test_known_boilerplate_credit_line_still_gives_the_wire_source():
    known = frozenset({normalize_line("(Source : Reuters)")})
    article = clean_dump(SEED.read_text(encoding="utf-8"), known_boilerplate=known)
    assert article.wire_source == "Reuters"
    assert {r.text: r.reason for r in article.removed}["(Source : Reuters)"] == "site_boilerplate"


def test_known_boilerplate_is_matched_after_normalisation():
    text = SEED.read_text(encoding="utf-8").replace("Retour en haut", "  RETOUR   en haut ")
    article = clean_dump(text, known_boilerplate=frozenset({"retour en haut"}))
    assert {r.text: r.reason for r in article.removed}["RETOUR en haut"] == "site_boilerplate"


# -- line parsers ------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "language", "expected"), [
    ("Le 17/02/2020", "fr", "2020-02-17"),
    ("Publié le 29 novembre 2016 à 10h00", "fr", "2016-11-29"),
    ("1er mars 2020", "fr", "2020-03-01"),
    ("Le 3 de mars 2020", "fr", "2020-03-03"),
    ("November 20th, 2019", "en", "2019-11-20"),
    ("22nd Nov 2026", "en", "2026-11-22"),
    ("November 20, 2019", "en", "2019-11-20"),
    ("Nov. 19, 2019 8:03 am ET", "en", "2019-11-19"),
    ("11/19/2019", "en", "2019-11-19"),
    ("2019-05-15T10:00:00Z", None, "2019-05-15"),
    ("Sun 22 Nov 2026 17.55 GMT", "en", "2026-11-22"),
    ("Sunday, Nov. 22, 2026, 5:55 p.m. ET", "en", "2026-11-22"),
    ("22 Sept 2026 17:55 UTC", "en", "2026-09-22"),
    ("Publié le dim. 22 nov. 2026 à 17h55", "fr", "2026-11-22"),
    ("Publié le 24 novembre 2026 à 13 h 40", "fr", "2026-11-24"),
    ("Publié le 22/11/2026 à 10h32 | Mis à jour le 23/11/2026 à 08h00", "fr", "2026-11-22"),
    ("Published 3 hours ago | Updated Nov 23, 2026", "en", None),
    ("31 février 2020", "fr", None),
    ("Politique", "fr", None),
])
def test_parse_date(line, language, expected):
    assert parse_date(line, load_lexicon(), language) == expected


@pytest.mark.parametrize(("line", "expected"), [
    ("(Source : Reuters)", "Reuters"), ("(AFP)", "AFP"), ("— Reuters", "Reuters"), ("Reuters -", "Reuters"),
    ("With AFP", "AFP"), ("(avec AFP)", "AFP"), ("(AFP et Reuters)", "AFP"),
    ("(Agence France-Presse)", "AFP"), ("Reuters", None), ("Photo: AP", None),
    ("Reuters said the talks had failed.", None),
])
def test_parse_credit(line, expected):
    assert parse_credit(line, load_lexicon()) == expected


@pytest.mark.parametrize(("line", "expected"), [
    ("Par Kab Niang", "Kab Niang"), ("By Sarah E. Needleman", "Sarah E. Needleman"),
    ("By Jane Hollis and Tom Reed", "Jane Hollis and Tom Reed"),
    ("Par Marie de Rivière et Paul Roux", "Marie de Rivière et Paul Roux"), ("De notre correspondant", "notre correspondant"),
    ("Par la rédaction", "la rédaction"), ("By Staff", "Staff"), ("La rédaction avec AFP", "La rédaction avec AFP"),
    ("De notre correspondant à Bamako", "notre correspondant à Bamako"), ("Staff and agencies", "Staff and agencies"),
    ("By the end of the year, prices rose.", None), ("La rédaction a choisi ce livre.", None),
])
def test_parse_byline(line, expected):
    assert parse_byline(line, load_lexicon()) == expected


def test_parse_dateline():
    assert parse_dateline("MOSCOU (Reuters) - Le chef militaire libyen...", load_lexicon()) == "Reuters"
    assert parse_dateline("The minister (AFP sources say) left.", load_lexicon()) is None


# -- regressions ---------------------------------------------------------------------------

BODY = [
    "The committee met on Monday to discuss the new budget for the coming year, the plans for the port "
    "and the repairs that the old quay has needed since the storms of last winter.",
    "Members agreed that the harbour works should start before the summer, when traffic is at its lowest, "
    "and that the fishing fleet should keep access to the northern moorings throughout.",
    "The final vote is expected next week, after the public consultation closes on Friday evening and the "
    "port authority has answered the written questions sent in by residents.",
]


FRENCH_BODY = [
    "Le conseil municipal s'est réuni lundi soir pour examiner le budget de l'année prochaine, les projets "
    "du port et les réparations dont le vieux quai a besoin depuis les tempêtes de l'hiver dernier.",
    "Les élus sont convenus que les travaux devraient commencer avant l'été, quand le trafic est au plus bas, "
    "et que les pêcheurs devraient garder l'accès aux mouillages du nord pendant toute la durée du chantier.",
    "Le vote définitif est attendu la semaine prochaine, après la clôture de la consultation publique vendredi "
    "soir et les réponses de l'autorité portuaire aux questions écrites envoyées par les habitants.",
]


def test_numeric_date_of_an_english_dump_reads_month_first_through_the_pipeline():
    article = run_pipeline("\n".join(["Budget talks open at the port", "Published 11/03/2026", *BODY]))
    assert article.language == "en"
    assert (article.published, article.published_from) == ("2026-11-03", "text")


def test_numeric_date_of_a_french_dump_reads_day_first_through_the_pipeline():
    article = run_pipeline("\n".join(["Le budget du port en discussion", "Publié le 11/03/2026", *FRENCH_BODY]))
    assert article.language == "fr"
    assert (article.published, article.published_from) == ("2026-03-11", "text")


def test_comment_section_after_body_is_not_kept():
    comments = ["Comments", "I really think this budget is a waste of public money and nobody asked us about it at all."]
    article = clean_dump("\n".join(["Budget talks open", *BODY, *comments]))
    assert article.paragraphs == BODY


def test_long_footer_line_does_not_outweigh_a_body_of_short_paragraphs():
    body = [f"Paragraph {i} of the story says one short thing, in a single sentence of about twenty words, as tabloid pages do." for i in range(12)]
    footer = "Copyright notice of the publisher, registered office and company number. " * 12
    nav = [f"Section {i}" for i in range(6)]
    article = clean_dump("\n".join(["Budget talks open", *body, *nav, footer]))
    assert article.paragraphs == body


def test_trailing_headline_after_the_body_is_trimmed():
    article = clean_dump("\n".join(["Budget talks open", *BODY, "Port authority names a new director for the northern docks"]))
    assert article.paragraphs == BODY


def test_repeated_teaser_headline_is_not_kept():
    teaser = "Port authority names a new director for the northern docks"
    article = clean_dump("\n".join([teaser, "Budget talks open", BODY[0], teaser, *BODY[1:]]))
    assert teaser not in article.paragraphs
    assert article.paragraphs == BODY


def test_exact_duplicate_paragraph_is_kept_once():
    article = clean_dump("\n".join(["Budget talks open", *BODY, BODY[0]]))
    assert article.paragraphs == BODY
    assert [r.reason for r in article.removed if r.text == BODY[0]] == ["duplicate"]


def test_truncated_copy_ending_in_unicode_ellipsis_is_dropped():
    article = clean_dump("\n".join(["Budget talks open", *BODY, BODY[1][:60] + "…"]))
    assert article.paragraphs == BODY
    assert article.removed[-1].reason == "truncated_copy"


def test_photo_caption_is_dropped():
    caption = "The harbour at dawn, photo: Port Authority"
    article = clean_dump("\n".join(["Budget talks open", BODY[0], caption, *BODY[1:]]))
    assert caption not in article.paragraphs
    assert {r.text: r.reason for r in article.removed}[caption] == "caption"


def test_repeated_headline_is_preferred_as_title():
    lines = ["Budget talks open at the port", "Business", "Budget talks open at the port", "Share", *BODY]
    article = clean_dump("\n".join(lines))
    assert article.title == "Budget talks open at the port"
    assert article.section == "Business"


def test_update_date_is_not_taken_as_publication_date():
    lines = ["Budget talks open at the port", "Mis à jour le 3 décembre 2016", "Publié le 29 novembre 2016", *BODY]
    article = clean_dump("\n".join(lines), language_hint="fr")
    assert article.published == "2016-11-29"


def test_update_line_is_lifted_but_not_taken_as_publication_date():
    update = "Article mis à jour le 7 janvier 2020."
    article = clean_dump("\n".join(["Budget talks open at the port", update, *BODY]), language_hint="fr")
    assert article.published is None and update not in article.paragraphs
    assert article.meta["updated"] == "2020-01-07"


def test_staff_byline_is_not_taken_as_title():
    lines = ["Actu", "Budget talks open at the port", "Par la rédaction", "Share", *BODY]
    article = clean_dump("\n".join(lines))
    assert article.title == "Budget talks open at the port"
    assert article.byline == "la rédaction"


def test_save_button_is_not_taken_as_title():
    lines = ["Budget talks open at the port", "By Jane Hollis", "Sun 22 Nov 2026 17.55 GMT",
             "Share on Facebook", "Save for later", *BODY]
    article = clean_dump("\n".join(lines), language_hint="en")
    assert article.title == "Budget talks open at the port"
    assert article.published == "2026-11-22" and article.published_from == "text"


def test_newsletter_pitch_after_the_body_is_not_kept():
    box = ["Sign up to Harbour Briefing", "Our morning email breaks down the key stories of the day.",
           "Enter your email address", "Sign up"]
    article = clean_dump("\n".join(["Budget talks open at the port", *BODY, *box]))
    assert article.paragraphs == BODY


def test_caption_of_the_lead_photo_is_not_kept():
    caption = "The picket line at gate 4 on Wednesday morning."
    lines = ["Budget talks open at the port", "By Jane Hollis", "Share", "Print", caption, *BODY]
    article = clean_dump("\n".join(lines))
    assert article.paragraphs == BODY


def test_crlf_input_gives_the_same_article():
    text = SEED.read_text(encoding="utf-8")
    assert clean_dump(text.replace("\n", "\r\n")).paragraphs == clean_dump(text).paragraphs


def test_empty_input_gives_no_paragraphs():
    for text in ("", "\n\n \r\n", "Menu\nSearch\nShare"):
        assert clean_dump(text).paragraphs == []


def test_page_without_prose_removes_every_line_as_outside_core_or_furniture():
    article = clean_dump("Home\nNews\nWorld\nSport")
    assert article.paragraphs == [] and len(article.removed) == 4


def test_million_line_input_finishes():
    article = clean_dump("Menu\nA short link here\n" * 500_000 + "\n".join(BODY))
    assert article.paragraphs == BODY


def test_very_long_line_is_handled():
    line = "word " * 200_000 + "."
    assert clean_dump(line).paragraphs == [" ".join(line.split())]


# -- properties ----------------------------------------------------------------------------

LINE = st.one_of(
    st.text(max_size=200),
    st.sampled_from(["Rechercher", "Share", "(AFP)", "Commentaires (0)", "Par Kab Niang", "Le 17/02/2020", "", " \t"]),
    st.sampled_from(BODY).map(lambda s: s[: len(s) // 2] + "..."),
    st.sampled_from(BODY),
)
PAGE = st.lists(LINE, max_size=40).flatmap(lambda lines: st.sampled_from(["\n", "\r\n", "\r"]).map(lambda sep: sep.join(lines)))


@settings(max_examples=300, deadline=None)
@given(PAGE)
def test_never_invents_text(text):
    article = clean_dump(text)
    lines = input_lines(text)
    assert all(p in lines for p in article.paragraphs)
    assert all(r.text in lines for r in article.removed)
    for lifted in (article.title, article.section, article.byline):
        assert lifted is None or lifted in lines or any(lifted in line for line in lines)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=2000))
def test_never_crashes_on_arbitrary_unicode(text):
    article = clean_dump(text + "\x00\r" + text)
    assert all(p in input_lines(text + "\x00\r" + text) for p in article.paragraphs)
