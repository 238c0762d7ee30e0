"""The parse an article's annotators share: one spaCy doc per paragraph, placed in the text.

Paragraphs are parsed one by one: the models join a line that ends a paragraph to the
next one's first sentence ("... Tass.\\nÀ son arrivée"), and a paragraph is never part
of another's sentence. Offsets of tokens inside a paragraph's doc are shifted by the
paragraph's start to give offsets into ``Article.text``.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from veille.records import PARAGRAPH_SEPARATOR


@dataclass(slots=True)
class Paragraph:
    """One paragraph of the article: where it starts in the text, and its parse (None without a model)."""

    start: int
    text: str
    doc: Any | None = None

    @property
    def end(self) -> int:
        """Return the offset just past the paragraph in the article's text."""
        return self.start + len(self.text)


@dataclass(slots=True)
class Sentence:
    """One sentence: its offsets in the article's text and its spaCy span (None without a model)."""

    start: int
    end: int
    text: str
    span: Any | None
    paragraph: Paragraph


@dataclass(slots=True)
class Parsed:
    """An article's text, language, publication date and per-paragraph parses."""

    text: str
    language: str | None
    published: str | None
    paragraphs: list[Paragraph] = field(default_factory=list)
    model: str | None = None
    title_doc: Any | None = None  # the headline's parse: context (titles of people), no offsets
    _sentences: list[Sentence] | None = None  # built on first use: the rules ask for them often

    @property
    def has_model(self) -> bool:
        """Return True when the paragraphs were parsed by a spaCy model."""
        return self.model is not None

    def sentences(self) -> list[Sentence]:
        """Return every sentence of the article in order (whole paragraphs when there is no model)."""
        if self._sentences is None:
            self._sentences = list(self._split_sentences())
        return self._sentences

    def _split_sentences(self) -> Iterator[Sentence]:
        """Yield the sentences of each paragraph in turn."""
        for paragraph in self.paragraphs:
            if paragraph.doc is None:
                yield Sentence(paragraph.start, paragraph.end, paragraph.text, None, paragraph)
                continue
            for span in paragraph.doc.sents:
                start = paragraph.start + span.start_char
                yield Sentence(start, start + len(span.text), span.text, span, paragraph)

    def offset(self, token_or_span: Any, paragraph: Paragraph) -> tuple[int, int]:
        """Return the (start, end) text offsets of a spaCy token or span of a paragraph's doc."""
        if hasattr(token_or_span, "start_char"):
            return paragraph.start + token_or_span.start_char, paragraph.start + token_or_span.end_char
        return paragraph.start + token_or_span.idx, paragraph.start + token_or_span.idx + len(token_or_span)


def parse(paragraphs: list[str], language: str | None, published: str | None, nlp: Any | None,
          model: str | None = None, title: str | None = None) -> Parsed:
    """Parse each paragraph (and the title) with the language's model, placing paragraphs in the text."""
    return parse_many([ParseInput(paragraphs, language, published, title)], nlp, model)[0]


@dataclass(slots=True)
class ParseInput:
    """What parse() reads of one article: its paragraphs, language, publication date and title."""

    paragraphs: list[str]
    language: str | None
    published: str | None
    title: str | None = None


def parse_many(inputs: list[ParseInput], nlp: Any | None, model: str | None = None) -> list[Parsed]:
    """Parse several articles of one language in one nlp.pipe call; each Parsed is what parse() gives."""
    texts = [text for item in inputs for text in (item.title or "", *item.paragraphs)]
    docs = iter(nlp.pipe(texts)) if nlp is not None else None
    return [_placed(item, model if nlp is not None else None, docs) for item in inputs]


def _placed(item: ParseInput, model: str | None, docs: Iterator | None) -> Parsed:
    """Build an article's Parsed, taking its title's doc then its paragraphs' docs from the stream."""
    parsed = Parsed(PARAGRAPH_SEPARATOR.join(item.paragraphs), item.language, item.published, model=model)
    title_doc = next(docs) if docs is not None else None
    parsed.title_doc = title_doc if item.title else None
    start = 0
    for text in item.paragraphs:
        parsed.paragraphs.append(Paragraph(start, text, next(docs) if docs is not None else None))
        start += len(text) + len(PARAGRAPH_SEPARATOR)
    return parsed
