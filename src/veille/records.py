"""The records that flow through veille: plain, typed, one type per thing.

Offsets in annotations are character offsets into ``Article.text``. Ids are
stable content hashes, never counters.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

PARAGRAPH_SEPARATOR = "\n\n"


def content_id(content: bytes | str) -> str:
    """Return the stable id of some content: the first 32 hex digits of its SHA-256."""
    if isinstance(content, str):
        content = content.encode("utf-8", "surrogatepass")
    return hashlib.sha256(content).hexdigest()[:32]


@dataclass(slots=True)
class Page:
    """One raw page as read from a source, before any cleaning."""

    source: str
    content: bytes | str
    format: str = "auto"  # dump | html | article | auto (detected later)
    url: str | None = None
    site: str | None = None
    published: str | None = None
    fetched: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    id: str = field(init=False, default="")  # the hash of the raw content, computed once

    def __post_init__(self) -> None:
        self.id = content_id(self.content)


@dataclass(slots=True)
class Removed:
    """A piece of page text the cleaner dropped, with why."""

    text: str
    reason: str


@dataclass(slots=True)
class Span:
    """A stretch of an article's text: character offsets into ``Article.text``."""

    start: int
    end: int
    text: str


@dataclass(slots=True)
class Mention:
    """One mention of an entity: a name, a role noun ("le ministre") or a pronoun ("il")."""

    start: int
    end: int
    text: str
    kind: str = "name"  # name | role | pronoun


@dataclass(slots=True)
class Entity:
    """A person, organisation, place or other named thing, with its mentions in one article."""

    id: str
    name: str  # the fullest form the article uses ("Khalifa Haftar", not "Haftar")
    type: str  # PER | ORG | LOC | MISC
    roles: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)  # e.g. {"country": "Libye"} from "libyen"


@dataclass(slots=True)
class Quote:
    """Something someone said, direct (in quote marks) or indirect (after a reporting verb)."""

    id: str
    text: str
    start: int
    end: int
    kind: str  # direct | indirect | mixed
    speaker: str | None = None
    speaker_entity: str | None = None
    cue: str | None = None  # the reporting words: "a déclaré", "said", "selon"
    via: str | None = None  # the channel it came through: "Tass", "Reuters"
    speaker_span: Span | None = None


@dataclass(slots=True)
class DateRef:
    """A date expression and the date it stands for, resolved against the publication date."""

    text: str
    start: int
    end: int
    resolved: str | None  # ISO date, year-month or year; None when it cannot be resolved
    granularity: str | None  # day | week | month | year


@dataclass(slots=True)
class Event:
    """One happening stated in one sentence: who did what to whom, where and when."""

    type: str
    actor: str | None
    target: str | None
    evidence: Span
    actor_entity: str | None = None
    target_entity: str | None = None
    place: str | None = None
    date: str | None = None
    negated: bool = False  # stated as not having happened ("n'a pas rencontré")
    reported_by: str | None = None  # the speaker when the event is told inside a quote
    hypothetical: bool = False  # stated as possible, planned or conditional ("pourrait imposer")
    cameo: str | None = None  # the CAMEO root code of the type, for comparison with GDELT


@dataclass(slots=True)
class Article:
    """The clean article taken from one page, with its metadata and annotations."""

    id: str = ""
    source: str = ""
    url: str | None = None
    site: str | None = None
    section: str | None = None
    title: str | None = None
    byline: str | None = None
    published: str | None = None
    published_from: str | None = None  # argument | html | url | text | None
    language: str | None = None
    language_score: float = 0.0
    wire_source: str | None = None
    canonical_url: str | None = None
    format: str = ""
    paragraphs: list[str] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    dates: list[DateRef] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """Return the clean text: the paragraphs joined by blank lines."""
        return PARAGRAPH_SEPARATOR.join(self.paragraphs)

    def to_dict(self) -> dict[str, Any]:
        """Return the article as the JSON object of the `veille extract` contract."""
        data = asdict(self)
        data["text"] = self.text
        data["meta"] = public_meta(self.meta)
        return data


def public_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """Return meta without the keys starting with "_": working data between stages, not the record."""
    return {key: value for key, value in meta.items() if not key.startswith("_")}


@dataclass(slots=True)
class Reject:
    """A page that could not become an article, and the reason."""

    source: str
    reason: str
    error: str
    id: str | None = None
    site: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the reject as the JSON object of the `veille extract` contract."""
        return {"source": self.source, "id": self.id, "rejected": self.reason, "error": self.error}
