"""Keep annotation offsets right when stretches of an article's text are cut out."""
from __future__ import annotations

from bisect import bisect_right

from veille.records import Article


def cut_text(article: Article, cuts: list[tuple[int, int]]) -> None:
    """Drop the annotations that overlap the cut (start, end) ranges and shift the others left."""
    if not cuts:
        return
    cuts = sorted(cuts)
    keep = lambda item: _kept(item, cuts)  # noqa: E731
    for entity in article.entities:
        entity.mentions = [m for m in entity.mentions if keep(m)]
    article.entities = [entity for entity in article.entities if entity.mentions]
    article.quotes = [q for q in article.quotes if keep(q) and (q.speaker_span is None or keep(q.speaker_span))]
    article.dates = [d for d in article.dates if keep(d)]
    article.events = [e for e in article.events if keep(e.evidence)]
    for item in _spans(article):
        shift = _shift(item.start, cuts)
        item.start -= shift
        item.end -= shift


def _kept(item, cuts: list[tuple[int, int]]) -> bool:
    """Return True when a span overlaps none of the cuts."""
    return all(item.end <= start or item.start >= end for start, end in cuts)


def _shift(offset: int, cuts: list[tuple[int, int]]) -> int:
    """Return how many characters were cut before an offset."""
    before = cuts[:bisect_right(cuts, (offset, offset))]
    return sum(end - start for start, end in before if end <= offset)


def _spans(article: Article):
    """Yield every object of an article that carries start/end offsets."""
    for entity in article.entities:
        yield from entity.mentions
    for quote in article.quotes:
        yield quote
        if quote.speaker_span is not None:
            yield quote.speaker_span
    yield from article.dates
    for event in article.events:
        yield event.evidence
