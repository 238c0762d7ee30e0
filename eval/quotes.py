"""Quote quality: precision, recall and F1 of the quotes found, and speaker accuracy, per language.

Two sets under ``<shared>/data/dev/``, read at run time and never copied into the repo:

- ``polnear-attribution-en/dev.jsonl`` (English): every attribution (content spans with
  character offsets); scored whole, and on the attributions whose content holds quote marks
  (" “ ” « » or '') against the direct and mixed quotes found;
- ``french-news-gold/gold.jsonl`` (French): ``quotes`` with no offsets, placed by the
  README's rule (each entry at the first occurrence after the previous entry's start).

The text goes through the annotate stage as already-clean article text, one paragraph
per line. A found quote matches a gold quote when their word overlap, divided by the
longer of the two, is at least 0.5 (one-to-one, best pairs first). Speaker accuracy is
over matched pairs with a gold speaker: the found speaker (entity name or phrase) or its
phrase equals the gold name or mention once case and accents are folded, or their last
words (surnames) agree.

Measured with the entity stage of the same tree (quote F1 / speaker accuracy):
PolNeAR all attributions 0.545 / 0.933 (P 0.754, R 0.426: PolNeAR also counts beliefs,
intentions and noun objects, "criticized X for Y", which are no quotes here), with quote
marks 0.708 / 0.896; French gold 0.859 / 0.873 (P 0.948, R 0.786), with marks 0.848 / 0.857.
Without models (marks only): PolNeAR marks 0.629, French marks 0.764.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table

from veille.nlp import entities as entity_stage
from veille.nlp.models import load_model, model_name
from veille.nlp.parse import parse
from veille.nlp.quotes import find_quotes
from veille.records import Quote

MIN_OVERLAP = 0.5  # the matching rule the quote figures are reported with
# The set's own content_has_quote_marks leaves out the doubled apostrophes one publisher
# (NYT) writes for double quotes: they count here.
_MARKS = re.compile("[\"“”«»]|''")
_WORD = re.compile(r"\w+")


@dataclass(slots=True)
class GoldQuote:
    """One gold quote: its offsets in the document text, speaker names and kind."""

    start: int
    end: int
    speakers: list[str]
    kind: str | None
    marked: bool = False
    text: str = ""


@dataclass(slots=True)
class Document:
    """One dev document: its text, language, date and gold quotes."""

    doc_id: str
    language: str
    published: str | None
    text: str
    gold: list[GoldQuote]


@dataclass(slots=True)
class Found:
    """One found quote placed in the document's text."""

    start: int
    end: int
    kind: str
    speakers: list[str]
    text: str


@dataclass(slots=True)
class Score:
    """Counts for one set: matched, found, gold, and speakers right among matched."""

    matched: int = 0
    found: int = 0
    gold: int = 0
    speaker_right: int = 0
    speaker_asked: int = 0
    documents: list[tuple[str, float, list[str]]] = field(default_factory=list)

    def add(self, other: Score) -> None:
        """Add another score's counts to this one."""
        self.matched += other.matched
        self.found += other.found
        self.gold += other.gold
        self.speaker_right += other.speaker_right
        self.speaker_asked += other.speaker_asked

    @property
    def precision(self) -> float:
        """Return matched / found."""
        return self.matched / self.found if self.found else 0.0

    @property
    def recall(self) -> float:
        """Return matched / gold."""
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        """Return the harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def speaker_accuracy(self) -> float:
        """Return the share of matched quotes whose speaker is right."""
        return self.speaker_right / self.speaker_asked if self.speaker_asked else 0.0


# -- loading ---------------------------------------------------------------------------

def load_polnear(root: Path) -> list[Document]:
    """Return the PolNeAR dev articles with every attribution as a gold quote."""
    docs = []
    for line in (root / "dev.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        gold = [GoldQuote(q["start"], q["end"], [q["speaker"]] if q.get("speaker") else [], None,
                          bool(_MARKS.search(q["quote"])), q["quote"])
                for q in row["quotes"] if q.get("start") is not None]  # one upstream relation has no content
        docs.append(Document(row["doc_id"], "en", row.get("publication_date"), row["text"], gold))
    return docs


def load_french(root: Path) -> list[Document]:
    """Return the French gold documents, each quote placed by the README's rule."""
    docs = []
    for line in (root / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        gold, previous = [], 0
        for quote in row["quotes"]:
            start = row["text"].find(quote["quote"], previous)
            start = row["text"].find(quote["quote"]) if start < 0 else start
            previous = max(start, 0)
            speakers = [s for s in (quote.get("speaker"), quote.get("speaker_mention")) if s]
            gold.append(GoldQuote(start, start + len(quote["quote"]), speakers, quote["kind"],
                                  quote["kind"] != "indirect", quote["quote"]))
        docs.append(Document(row["doc_id"], "fr", row.get("published"), row["text"], gold))
    return docs


# -- running ---------------------------------------------------------------------------

def find_in(document: Document) -> list[Found]:
    """Run the annotate stage's parse, entities and quotes on a document, offsets in its own text."""
    starts, paragraphs = _paragraphs(document.text)
    language = document.language
    parsed = parse(paragraphs, language, document.published, load_model(language), model_name(language))
    entities = _entities(parsed)
    return [_placed(quote, parsed.paragraphs, starts) for quote in find_quotes(parsed, entities)]


def _entities(parsed) -> list:
    """Return the article's entities; none when the entity stage fails (it is measured elsewhere)."""
    try:
        return entity_stage.find_entities(parsed)
    except Exception:  # noqa: BLE001 - a broken entity stage must not hide the quote figures
        return []


def _paragraphs(text: str) -> tuple[list[int], list[str]]:
    """Split a text into its non-empty lines (the paragraphs) and where each starts."""
    starts, paragraphs, offset = [], [], 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            starts.append(offset + line.index(stripped))
            paragraphs.append(stripped)
        offset += len(line) + 1
    return starts, paragraphs


def _placed(quote: Quote, paragraphs, starts: list[int]) -> Found:
    """Return a quote with its offsets moved from the article's text to the document's."""
    shift = 0
    for paragraph, start in zip(paragraphs, starts):
        if paragraph.start <= quote.start <= paragraph.end:
            shift = start - paragraph.start
    speakers = [s for s in (quote.speaker, quote.speaker_span.text if quote.speaker_span else None) if s]
    return Found(quote.start + shift, quote.end + shift, quote.kind, speakers, quote.text)


# -- scoring ---------------------------------------------------------------------------

def _word_set(text: str, start: int, end: int) -> set[int]:
    """Return the start offsets of the words inside a stretch: a span as a set of words."""
    return {m.start() + start for m in _WORD.finditer(text[start:end])}


def match(text: str, found: list[Found], gold: list[GoldQuote]) -> list[tuple[Found, GoldQuote]]:
    """Pair found and gold quotes one to one, best overlaps first, keeping pairs at MIN_OVERLAP or more."""
    found_words = [_word_set(text, f.start, f.end) for f in found]
    gold_words = [_word_set(text, g.start, g.end) for g in gold]
    pairs = []
    for i, fw in enumerate(found_words):
        for j, gw in enumerate(gold_words):
            shared = len(fw & gw)
            if shared:
                pairs.append((shared / max(len(fw), len(gw)), i, j))
    taken_f, taken_g, matched = set(), set(), []
    for overlap, i, j in sorted(pairs, reverse=True):
        if overlap >= MIN_OVERLAP and i not in taken_f and j not in taken_g:
            taken_f.add(i)
            taken_g.add(j)
            matched.append((found[i], gold[j]))
    return matched


def fold(name: str) -> str:
    """Return a name lowercased, without accents, determiners' apostrophes or extra spaces."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return " ".join(_WORD.findall(text))


def same_speaker(found: list[str], gold: list[str]) -> bool:
    """Return True when a found speaker matches a gold one: equal once folded, or sharing a surname.

    The surname is the last word of a name; PolNeAR's speaker spans carry titles and
    appositions ("Rep. Gregory W. Meeks (D-N.Y.), chairman of ..."), so a found name's
    surname among the gold phrase's words counts, and the other way round.
    """
    for f in map(fold, found):
        for g in map(fold, gold):
            if f and g and (f == g or f.split()[-1] in g.split() or g.split()[-1] in f.split()):
                return True
    return False


def score(document: Document, found: list[Found], gold: list[GoldQuote]) -> Score:
    """Return the counts of one document."""
    pairs = match(document.text, found, gold)
    result = Score(matched=len(pairs), found=len(found), gold=len(gold))
    for f, g in pairs:
        if g.speakers:
            result.speaker_asked += 1
            result.speaker_right += same_speaker(f.speakers, g.speakers)
    paired_f, paired_g = {id(f) for f, _ in pairs}, {id(g) for _, g in pairs}
    notes = [f"missed: {g.text[:100]!r}" for g in gold if id(g) not in paired_g]
    notes += [f"extra:  {f.text[:100]!r} ({f.kind}, {f.speakers[:1]})" for f in found if id(f) not in paired_f]
    notes += [f"speaker: {f.speakers} for {g.speakers}" for f, g in pairs
              if g.speakers and not same_speaker(f.speakers, g.speakers)]
    result.documents.append((document.doc_id, result.f1, notes))
    return result


def evaluate(documents: list[Document]) -> dict[str, Score]:
    """Return the scores of a set: all quotes, and quote marks only (direct and mixed)."""
    scores = {"all": Score(), "marks": Score()}
    for document in documents:
        found = find_in(document)
        for name, keep_found, keep_gold in (("all", found, document.gold),
                                            ("marks", [f for f in found if f.kind != "indirect"],
                                             [g for g in document.gold if g.marked])):
            one = score(document, keep_found, keep_gold)
            scores[name].add(one)
            scores[name].documents.extend(one.documents)
    return scores


# -- report ----------------------------------------------------------------------------

SETS = {
    "polnear-attribution-en": ("polnear-en", load_polnear),
    "french-news-gold": ("fr-gold", load_french),
}


def run(shared: Path, console: Console, failures: int = 0) -> None:
    """Score the quotes on every dev set present and print a table (and the worst documents)."""
    table = Table(title="Quotes (match: word overlap >= 0.5 of the longer span)")
    for column in ("set", "quotes", "gold", "found", "P", "R", "F1", "spk", "n"):
        table.add_column(column, justify="right" if column not in ("set", "quotes") else "left")
    worst = []
    for name, (short, load) in SETS.items():
        root = shared / "data" / "dev" / name
        if not root.is_dir():
            console.print(f"[yellow]quotes: {root} is absent, skipping {name}[/yellow]")
            continue
        documents = load(root)
        for subset, result in evaluate(documents).items():
            table.add_row(short, subset, str(result.gold), str(result.found),
                          f"{result.precision:.3f}", f"{result.recall:.3f}", f"{result.f1:.3f}",
                          f"{result.speaker_accuracy:.3f}", str(result.speaker_asked))
            if subset == "all":
                worst += [(f1, name, doc_id, notes) for doc_id, f1, notes in result.documents]
    if not table.rows:
        return
    console.print(table)
    console.print("spk: speaker accuracy over the n matched quotes with a gold speaker")
    for f1, name, doc_id, notes in sorted(worst)[:failures]:
        console.print(f"[bold]{name} {doc_id}[/bold] F1 {f1:.3f}")
        for note in notes:
            console.print(f"  {note}", markup=False)
