"""Embedded posts: a paragraph followed by its credit line ("— Jane Doe (@janedoe) March 16, 2020").

News pages quote social-media posts by embedding them; once cleaned, the post is a
paragraph and its credit line the next one: a dash, the author's name, the account's
handle in brackets, a date. The post is the author's words, a direct quote, whatever
its punctuation (posts read like headlines). The platform is the quote lexicon's
``post_channel``.
"""
from __future__ import annotations

import re

from veille.nlp.parse import Parsed
from veille.nlp.quote_frames import Found, Frame
from veille.nlp.quote_lexicon import QuoteLexicon

# The credit line: a dash, a name, "(@handle)", then a short date.
_CREDIT = re.compile(r"^[—–-]\s*(?P<name>[^()@\n]*?\w)\s*\(@\w+\)\s*(?P<date>[^\n]{0,40})$")
# A post runs back over the paragraphs before its credit line that carry a hashtag or a
# handle (an article's own paragraphs rarely do), while it stays this short.
# 280: the most characters a post on Twitter may hold.
MAX_POST_CHARS = 280

# Links a post ends with, which are no part of its words.
_TRAILING_LINKS = re.compile(r"(?:\s+(?:https?://|pic\.twitter\.com/)\S+)+\s*$")
_TAG = re.compile(r"(?:^|\s)[#@]\w")


def find_posts(parsed: Parsed, lexicon: QuoteLexicon) -> list[Found]:
    """Return the embedded posts of an article, each with its author as speaker."""
    found: list[Found] = []
    for index in range(1, len(parsed.paragraphs)):
        credit = _CREDIT.match(parsed.paragraphs[index].text)
        if credit is None:
            continue
        first = _post_start(parsed, index)
        if first is None:
            continue
        post = parsed.paragraphs[index - 1]
        end = post.start + len(_TRAILING_LINKS.sub("", post.text))
        name_start = parsed.paragraphs[index].start + credit.start("name")
        frame = Frame(speaker=(name_start, name_start + len(credit.group("name"))), via=lexicon.post_channel)
        start = parsed.paragraphs[first].start
        found.append(Found(start, end, "direct", frame, first, (start, end)))
    return found


def _post_start(parsed: Parsed, credit: int) -> int | None:
    """Return the first paragraph of the post above a credit line (None when there is none)."""
    first, size = None, 0
    for index in range(credit - 1, -1, -1):
        text = _TRAILING_LINKS.sub("", parsed.paragraphs[index].text)
        size += len(text)
        if first is not None and (size > MAX_POST_CHARS or not _TAG.search(text)):
            break
        if not text or _CREDIT.match(text):
            break
        first = index
    return first


__all__ = ["find_posts"]
