"""Language of an article (and of its paragraphs where they differ), offline, with pycld2."""
from __future__ import annotations

import re

import pycld2

from veille.records import Article

# pycld2 rejects C0/C1 control characters and unpaired surrogates outright.
_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
MIN_PARAGRAPH_CHARS = 200  # below this cld2 guesses too often to call a paragraph "mixed"


def detect_language(text: str) -> tuple[str | None, float]:
    """Return the ISO 639-1 code of a text's main language and a confidence in [0, 1]."""
    try:
        reliable, _, details = pycld2.detect(_UNSAFE.sub(" ", text))
    except pycld2.error:
        return None, 0.0
    name, code, percent, _ = details[0]
    if code in ("un", "xx") or percent == 0:
        return None, 0.0
    # cld2's percent is the share of the text in that language; halve it when cld2
    # itself says the guess is unreliable (short or mixed text).
    score = percent / 100 * (1.0 if reliable else 0.5)
    return code.split("-")[0], round(score, 3)


def add_language(article: Article) -> Article:
    """Set the article's language and score, and note paragraphs in another language."""
    language, score = detect_language(_sample(article))
    article.language, article.language_score = language, score
    others = _paragraphs_in_other_languages(article, language)
    if others:
        article.meta["paragraph_languages"] = others
    return article


def _sample(article: Article) -> str:
    """Return the text to identify: title and body."""
    return "\n".join(filter(None, [article.title or "", article.text]))


def _paragraphs_in_other_languages(article: Article, language: str | None) -> dict[int, str]:
    """Return {paragraph index: language} for long paragraphs reliably in another language."""
    found = {}
    for index, paragraph in enumerate(article.paragraphs):
        if len(paragraph) < MIN_PARAGRAPH_CHARS:
            continue
        code, score = detect_language(paragraph)
        # 0.9: cld2 reliable and at least 90% of the paragraph in that language; below,
        # a quoted name or a few foreign words would mark a paragraph as mixed.
        if code and code != language and score >= 0.9:
            found[index] = code
    return found
