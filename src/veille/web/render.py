"""Draw an article's text with its entities, quotes and events marked, all text escaped."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape


REFERENCES = ("role", "pronoun")  # mention kinds that stand for an entity without naming it


@dataclass(slots=True)
class Mark:
    """A stretch of the text to mark: an entity mention, a quote or an event's evidence."""

    start: int
    end: int
    kind: str  # mention | quote | event
    href: str | None = None
    title: str | None = None
    speaker: str | None = None  # for quotes: the name shown after the quote
    reference: str = "name"  # for mentions: name, or role | pronoun when a role noun or pronoun stands for it
    flags: str = ""  # for events: "negated" and/or "possible", drawn apart from what happened


def entity_href(name_or_id: str | None) -> str | None:
    """Return the web page of an entity, by id or name (its canonical id first: namesakes are apart only there)."""
    return f"/entities/{quote(name_or_id, safe='')}" if name_or_id else None


def article_marks(article: dict[str, Any]) -> list[Mark]:
    """Return the marks of an article's mentions, quotes and events."""
    marks = [Mark(m["start"], m["end"], "mention", entity_href(e.get("canonical_id") or e["id"]),
                  f"{e['name']} ({e['type']})",
                  reference=m.get("kind") if m.get("kind") in REFERENCES else "name")
             for e in article.get("entities", []) for m in e.get("mentions", [])]
    for q in article.get("quotes", []):
        speaker = q.get("speaker")
        marks.append(Mark(q["start"], q["end"], "quote",
                          entity_href(q.get("speaker_canonical") or q.get("speaker_entity") or speaker),
                          speaker, speaker))
    for ev in article.get("events", []):
        evidence = ev.get("evidence") or {}
        if evidence.get("start") is not None:
            title = f"{ev['type']}: {ev.get('actor') or '?'} → {ev.get('target') or '?'}"
            flags = [flag for flag, on in (("negated", ev.get("negated")), ("possible", ev.get("hypothetical"))) if on]
            marks.append(Mark(evidence["start"], evidence["end"], "event", None, title, flags=" ".join(flags)))
    return marks


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) of each paragraph of a text whose paragraphs are joined by blank lines."""
    spans, start = [], 0
    for part in text.split("\n\n"):
        spans.append((start, start + len(part)))
        start += len(part) + 2
    return spans


def marked_paragraphs(text: str, marks: list[Mark]) -> list[Markup]:
    """Return each paragraph as safe HTML with the marks drawn."""
    return [mark_up(text, start, end, marks) for start, end in paragraph_spans(text)]


def mark_up(text: str, start: int, end: int, marks: list[Mark]) -> Markup:
    """Return text[start:end] as HTML: each piece wrapped in the marks that cover it."""
    inside = [m for m in marks if m.start < end and m.end > start and 0 <= m.start < m.end <= len(text)]
    cuts = sorted({start, end, *(max(m.start, start) for m in inside), *(min(m.end, end) for m in inside)})
    html = []
    for left, right in zip(cuts, cuts[1:]):
        covering = [m for m in inside if m.start <= left and m.end >= right]
        html.append(_piece(text[left:right], covering))
        html.extend(_speaker(m) for m in inside if m.kind == "quote" and m.end == right and m.speaker)
    return Markup("".join(html))


def _piece(text: str, covering: list[Mark]) -> str:
    """Return one piece of text wrapped in the quote, event and mention marks that cover it."""
    html = str(escape(text))
    mention = min((m for m in covering if m.kind == "mention"), key=lambda m: m.end - m.start, default=None)
    if mention is not None:
        css = "mention" if mention.reference == "name" else f"mention {mention.reference}"
        html = f'<a class="{css}" href="{escape(mention.href)}" title="{escape(mention.title)}">{html}</a>'
    for kind in ("quote", "event"):
        mark = next((m for m in covering if m.kind == kind), None)
        if mark is not None:
            css = f"{kind} {mark.flags}".strip()
            html = f'<span class="{css}" title="{escape(mark.title or "")}">{html}</span>'
    return html


def _speaker(mark: Mark) -> str:
    """Return the speaker's name shown after a quote, linked to the speaker's page."""
    name = escape(mark.speaker)
    if mark.href:
        return f' <a class="speaker" href="{escape(mark.href)}">— {name}</a>'
    return f' <span class="speaker">— {name}</span>'
