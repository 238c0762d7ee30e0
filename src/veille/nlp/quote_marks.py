"""Quote marks: the stretches of a paragraph between marks, and whether they may be speech.

Direct quotes are found from the marks in the text, never from the model's sentences (the
models cut sentences at the full stops inside a quote). Scare quotes, titles of works and
headlines are told apart here.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from veille.nlp.parse import Paragraph
from veille.nlp.quote_lexicon import QuoteLexicon

# Two words or fewer inside marks is a scare quote or a term (« moralisation »,
# "fake news"), not speech: the French dev gold's guideline (data/dev/french-news-gold).
MAX_SCARE_WORDS = 2
# A paragraph with no final punctuation and at most this many words is a headline (or a
# subhead). 25: the longest title of the PolNeAR dev articles has 18 words, a margin above it.
MAX_HEADLINE_WORDS = 25

_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?…:)\]][\s»”\"']*$")


@dataclass(slots=True)
class Marked:
    """Words between quote marks: offsets of the marks and of the trimmed inner text."""

    open: int
    close: int  # offset past the closing mark (the paragraph's end when the quote runs on)
    start: int
    end: int
    depth: int = 0


@functools.cache
def _marks_pattern(pairs: tuple) -> re.Pattern:
    """Return one pattern matching any quote mark of the pairs, longest marks first."""
    marks = sorted({mark for pair in pairs for mark in pair}, key=len, reverse=True)
    return re.compile("|".join(re.escape(mark) for mark in marks))


def find_marked(text: str, start: int, lexicon: QuoteLexicon, runs_on: bool = False) -> list[Marked]:
    """Return the quoted stretches of one paragraph (offsets shifted by start), nested ones too."""
    openers = lexicon.openers
    stack: list[tuple[int, str]] = []
    found: list[Marked] = []
    for match in _marks_pattern(tuple(lexicon.marks)).finditer(text):  # the marks only, longest first
        index, mark = match.start(), match.group()
        if stack and mark in openers.get(stack[-1][1], ()) and index > stack[-1][0] + len(stack[-1][1]):
            opened, opening = stack.pop()
            found.append(_marked(text, start, (opened, opened + len(opening)), (index, index + len(mark)), len(stack)))
        elif mark in openers and _may_open(text, index):
            stack.append((index, mark))
    if stack and runs_on:  # a quote that goes on in the next paragraph ends with this one
        opened, opening = stack[0]
        found.append(_marked(text, start, (opened, opened + len(opening)), (len(text), len(text)), 0))
    return sorted(found, key=lambda m: m.open)


def _may_open(text: str, index: int) -> bool:
    """Return True when a mark can open a quote here (not a mark glued after a word, like 12")."""
    return index == 0 or not text[index - 1].isalnum() or text[index] not in "\"”"


def _marked(text: str, start: int, opening: tuple[int, int], closing: tuple[int, int], depth: int) -> Marked:
    """Return a Marked (from the opening mark to past the closing one), its inner text trimmed of
    spaces and of a trailing comma."""
    (opened, inner_start), (inner_end, closed) = opening, closing
    while inner_start < inner_end and text[inner_start].isspace():
        inner_start += 1
    while inner_end > inner_start and (text[inner_end - 1].isspace() or text[inner_end - 1] == ","):
        inner_end -= 1
    return Marked(start + opened, start + closed, start + inner_start, start + inner_end, depth)


def quote_runs_on(paragraph: Paragraph, following: Paragraph | None, lexicon: QuoteLexicon) -> bool:
    """Return True when the next paragraph opens with a mark: the quote goes on there."""
    return following is not None and any(following.text.startswith(mark) for mark in lexicon.openers)


def is_headline(text: str) -> bool:
    """Return True for a paragraph that reads as a headline: short, with no closing punctuation."""
    return len(_WORD.findall(text)) <= MAX_HEADLINE_WORDS and not _SENTENCE_END.search(text.strip())


def is_speech(text: str, marked: Marked, lexicon: QuoteLexicon, paragraph_start: int = 0) -> bool:
    """Return True for quoted words that may be speech: not a scare quote, not a title of a work."""
    inner = text[marked.start:marked.end]
    words = _WORD.findall(inner)
    if len(words) <= MAX_SCARE_WORDS:
        return False
    before = _WORD.findall(text[max(paragraph_start, marked.open - 40):marked.open].lower())[-3:]
    if any(word in lexicon.title_nouns for word in before):
        return False
    return not _is_title_case(words)


def _is_title_case(words: list[str]) -> bool:
    """Return True for words written as a title ("Make America Great Again"): every long word capitalised."""
    long_words = [w for w in words if len(w) > 3]
    return len(long_words) >= 2 and len(words) <= 8 and all(w[0].isupper() for w in long_words)


__all__ = ["Marked", "find_marked", "is_headline", "is_speech", "quote_runs_on"]
