"""Language identification per article, with a confidence, and mixed paragraphs noted."""
from __future__ import annotations

from veille.language import add_language, detect_language
from veille.records import Article

FR = ("Le gouvernement a présenté mercredi un projet de loi sur le logement qui prévoit la construction "
      "de cent mille logements sociaux d'ici la fin du quinquennat, a annoncé la ministre.")
EN = ("The government presented a housing bill on Wednesday that provides for the construction of one "
      "hundred thousand social homes by the end of the term, the minister announced.")


def test_french_and_english_are_told_apart_confidently():
    assert detect_language(FR)[0] == "fr" and detect_language(FR)[1] > 0.8
    assert detect_language(EN)[0] == "en" and detect_language(EN)[1] > 0.8


def test_unidentifiable_text_has_no_language():
    assert detect_language("12 345 678 --- ***") == (None, 0.0)
    assert detect_language("\x00\x01\ud800") == (None, 0.0)


def test_a_paragraph_in_another_language_is_noted():
    article = add_language(Article(paragraphs=[FR, FR + " " + FR, EN + " " + EN]))
    assert article.language == "fr"
    assert article.meta["paragraph_languages"] == {2: "en"}
