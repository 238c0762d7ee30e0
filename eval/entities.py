"""Entity quality: named mentions, people and their roles, on the dev sets and the seed page.

Three sets, read at run time and never copied into the repo:

- ``<shared>/data/dev/hipe2022-ner-fr``: historical French newspapers (OCR) with gold PER,
  LOC and ORG spans; PROD and TIME have no counterpart in our types and are dropped. Scored
  per type and micro-averaged, with exact span match and with overlap match (same type,
  spans overlapping, one to one), as the HIPE scorer's strict and fuzzy modes. HIPE's PER
  spans include titles ("président américain Donald Trump"), so overlap is the fairer
  figure; the OCR noise makes both a lower bound for clean modern news.
- ``<shared>/data/dev/french-news-gold``: people (name and stated roles) of French news
  articles. People are matched by name (accents, case and punctuation ignored; a surname
  alone matches the full name), one to one. A gold role is found when the matched
  entity has the same role or one sharing at least half the words of the longer of the two.
- the seed page (``<shared>/data/seed``, else the copy in ``tests/data/seed``) and its
  expected record: every person, their roles and name variants, found or missed.

Each text goes through ``veille.nlp.annotate`` as an Article whose paragraphs are the
text's lines, in French; a document whose annotation raises scores as empty.

Measured on 2026-11-30 (fr_core_news_md and the entity rules of that day): HIPE newseye
(35 documents) micro F1 0.302 exact, 0.527 overlap (PER 0.622, LOC 0.522, ORG 0.284 overlap);
french-news-gold (the 6 documents present) people P 0.786, R 0.880, F1 0.830, role recall
0.467; seed page 4/4 people, 5/5 roles, 6/6 places, 5/6 organisations (Reuters missed).
"""
from __future__ import annotations

import bisect
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table

from eval.clean import prf
from veille.records import PARAGRAPH_SEPARATOR, Article, Entity, content_id

LABELS = ("PER", "LOC", "ORG")
ROLE_OVERLAP = 0.5  # share of the longer role's words that must match: the rule this set is scored by
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}$")
_NOT_NAME = re.compile(r"[^\w'-]+")
WIDTH = 120
REPO = Path(__file__).resolve().parent.parent

Span = tuple[int, int, str]  # start, end, label


# -- running the annotator on a plain text ---------------------------------------------

@dataclass(slots=True)
class LineText:
    """A text cut into lines, as the paragraphs of an Article, with the way back to its offsets."""

    text: str
    lines: list[str] = field(init=False)
    starts: list[int] = field(init=False)  # where each line starts in the original text

    def __post_init__(self) -> None:
        self.lines = self.text.split("\n")
        self.starts, offset = [], 0
        for line in self.lines:
            self.starts.append(offset)
            offset += len(line) + 1

    def to_article(self, offset: int) -> int:
        """Return the article-text offset of an offset in the original text."""
        # Each "\n" became a paragraph separator: one more character per line break before.
        line = bisect.bisect_right(self.starts, offset) - 1
        return offset + line * (len(PARAGRAPH_SEPARATOR) - 1)


def annotate_text(text: str, published: str | None, language: str = "fr") -> tuple[Article | None, str | None]:
    """Return the annotated Article made of a text's lines, or None and the error it raised."""
    from veille.nlp.annotate import annotate

    article = Article(id=content_id(text), paragraphs=LineText(text).lines, language=language,
                      published=published if published and ISO_DATE.match(published) else None)
    try:
        return annotate(article), None
    except Exception as error:  # a failing document scores as empty; the count and first error are printed
        return None, f"{type(error).__name__}: {error}"


def name_spans(entities: Iterable[Entity]) -> list[Span]:
    """Return the (start, end, type) of every named mention of PER, LOC and ORG entities."""
    return sorted({(m.start, m.end, e.type) for e in entities if e.type in LABELS
                   for m in e.mentions if m.kind == "name"})


# -- (a) named mentions on HIPE-2022 ----------------------------------------------------

@dataclass(slots=True)
class NerDocument:
    """One HIPE document: its text, gold spans (article offsets) and predicted spans."""

    doc_id: str
    subset: str
    text: str  # the article text the spans point into
    gold: list[Span]
    predicted: list[Span] = field(default_factory=list)
    error: str | None = None


def load_hipe(root: Path) -> list[tuple[dict, LineText]]:
    """Return every HIPE document of the folder's JSONL files with its text cut into lines."""
    docs = []
    for path in sorted(root.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            docs.append((doc, LineText(doc["text"])))
    return docs


def hipe_document(doc: dict, lines: LineText) -> NerDocument:
    """Annotate one HIPE document and return its gold and predicted spans."""
    gold = sorted((lines.to_article(e["start"]), lines.to_article(e["end"]), e["label"])
                  for e in doc["entities"] if e["label"] in LABELS)
    result = NerDocument(doc["doc_id"], doc.get("subset", "?"), PARAGRAPH_SEPARATOR.join(lines.lines), gold)
    article, result.error = annotate_text(doc["text"], doc.get("date"))
    if article is not None:
        result.predicted = name_spans(article.entities)
    return result


def exact_counts(gold: list[Span], predicted: list[Span]) -> Counter:
    """Return TP/FP/FN per label ("tp:PER"...) for exact span and type match."""
    return _counts(gold, predicted, set(gold) & set(predicted))


def overlap_counts(gold: list[Span], predicted: list[Span]) -> Counter:
    """Return TP/FP/FN per label for overlap match: same type, spans overlapping, one to one."""
    matched, used = set(), set()
    for pred in predicted:
        for i, true in enumerate(gold):
            if i not in used and true[2] == pred[2] and true[0] < pred[1] and pred[0] < true[1]:
                used.add(i)
                matched.add(pred)
                break
    return _counts(gold, predicted, matched)


def _counts(gold: list[Span], predicted: list[Span], matched: set[Span]) -> Counter:
    """Return TP/FP/FN per label given the predicted spans that matched a gold one."""
    counts: Counter = Counter()
    for label in LABELS:
        tp = sum(1 for span in matched if span[2] == label)
        counts[f"tp:{label}"] += tp
        counts[f"fp:{label}"] += sum(1 for span in predicted if span[2] == label) - tp
        counts[f"fn:{label}"] += sum(1 for span in gold if span[2] == label) - tp
    return counts


def label_prf(counts: Counter, label: str | None) -> tuple[float, float, float]:
    """Return P, R, F1 of one label, or micro-averaged over all labels when label is None."""
    labels = LABELS if label is None else (label,)
    return prf(*(sum(counts[f"{kind}:{name}"] for name in labels) for kind in ("tp", "fp", "fn")))


def print_ner_table(console: Console, title: str, docs: list[NerDocument]) -> None:
    """Print P/R/F1 per type and micro, exact and overlap, over some documents."""
    exact = sum((exact_counts(d.gold, d.predicted) for d in docs), Counter())
    overlap = sum((overlap_counts(d.gold, d.predicted) for d in docs), Counter())
    table = Table(title=f"{title} ({len(docs)} documents)")
    for column in ("type", "gold", "predicted", "exact P", "exact R", "exact F1", "overlap P", "overlap R",
                   "overlap F1"):
        table.add_column(column, justify="left" if column == "type" else "right")
    for label in (*LABELS, None):
        names = LABELS if label is None else (label,)
        gold = sum(exact[f"tp:{n}"] + exact[f"fn:{n}"] for n in names)
        predicted = sum(exact[f"tp:{n}"] + exact[f"fp:{n}"] for n in names)
        cells = [f"{value:.3f}" for value in (*label_prf(exact, label), *label_prf(overlap, label))]
        table.add_row(label or "micro", str(gold), str(predicted), *cells)
    console.print(table)


def print_ner_failures(console: Console, docs: list[NerDocument], worst: int) -> None:
    """Print the documents with the lowest overlap F1, with a few of their missed gold spans."""
    table = Table(title=f"HIPE: worst {worst} documents (overlap F1)")
    for column in ("document", "gold", "predicted", "overlap F1", "missed (first 5)"):
        table.add_column(column)
    scored = sorted(docs, key=lambda d: label_prf(overlap_counts(d.gold, d.predicted), None)[2])
    for doc in scored[:worst]:
        found = {(s, e) for s, e, _ in doc.predicted}
        missed = [f"{doc.text[s:e]} ({label})" for s, e, label in doc.gold if (s, e) not in found][:5]
        f1 = label_prf(overlap_counts(doc.gold, doc.predicted), None)[2]
        table.add_row(doc.doc_id, str(len(doc.gold)), str(len(doc.predicted)), f"{f1:.2f}", ", ".join(missed))
    console.print(table)


def evaluate_hipe(console: Console, root: Path, failures: int) -> None:
    """Score named mentions on every HIPE document, overall and per subset."""
    with console.status("annotating HIPE-2022 documents"):
        docs = [hipe_document(doc, lines) for doc, lines in load_hipe(root)]
    _report_failed(console, "HIPE-2022", [(d.doc_id, d.error) for d in docs if d.error])
    print_ner_table(console, "HIPE-2022 French NER (historical OCR: a lower bound)", docs)
    subsets = sorted({d.subset for d in docs})
    for subset in subsets if len(subsets) > 1 else []:
        print_ner_table(console, f"HIPE-2022 subset {subset}", [d for d in docs if d.subset == subset])
    if failures:
        print_ner_failures(console, docs, failures)


# -- (b) people and roles on french-news-gold -------------------------------------------

@dataclass(slots=True)
class PeopleScore:
    """How one document's people and roles compare with the gold."""

    doc_id: str
    gold: int
    predicted: int
    matched: int
    roles: int
    roles_found: int
    missed_people: list[str] = field(default_factory=list)
    missed_roles: list[str] = field(default_factory=list)
    error: str | None = None


def name_key(name: str) -> str:
    """Return a name's comparison key: no accents, casefolded, words split on punctuation."""
    stripped = "".join(c for c in unicodedata.normalize("NFD", name) if not unicodedata.combining(c))
    return " ".join(_NOT_NAME.sub(" ", stripped.replace("’", "'").casefold()).split())


def surname(name: str) -> str:
    """Return the last word of a name's key (its surname, or the single name)."""
    words = name_key(name).split()
    return words[-1] if words else ""


def match_people(gold_names: list[str], entities: list[Entity]) -> dict[int, Entity]:
    """Match gold people to entities one to one: same name first, then same surname."""
    matches: dict[int, Entity] = {}
    used: set[str] = set()
    for key in (name_key, surname):
        for i, name in enumerate(gold_names):
            if i in matches:
                continue
            entity = next((e for e in entities if e.id not in used and key(e.name) == key(name)), None)
            if entity is not None:
                matches[i] = entity
                used.add(entity.id)
    return matches


def role_matches(gold: str, predicted: str) -> bool:
    """Return True when a predicted role is the gold one or shares half the words of the longer."""
    gold_words, predicted_words = name_key(gold).split(), name_key(predicted).split()
    if gold_words == predicted_words:
        return True
    shared = sum((Counter(gold_words) & Counter(predicted_words)).values())
    return shared >= ROLE_OVERLAP * max(len(gold_words), len(predicted_words), 1)


def score_people(doc_id: str, gold_people: list[dict], entities: list[Entity]) -> PeopleScore:
    """Compare one document's people (PER entities) and their roles with the gold."""
    people = [e for e in entities if e.type == "PER"]
    matches = match_people([p["name"] for p in gold_people], people)
    score = PeopleScore(doc_id, len(gold_people), len(people), len(matches),
                        sum(len(p["roles"]) for p in gold_people), 0)
    for i, person in enumerate(gold_people):
        entity = matches.get(i)
        if entity is None:
            score.missed_people.append(person["name"])
        for role in person["roles"]:
            if entity is not None and any(role_matches(role, found) for found in entity.roles):
                score.roles_found += 1
            else:
                score.missed_roles.append(f"{person['name']}: {role}")
    return score


def people_prf(scores: list[PeopleScore]) -> tuple[float, float, float, float]:
    """Return people precision, recall, F1 and role recall over some documents."""
    matched = sum(s.matched for s in scores)
    p, r, f1 = prf(matched, sum(s.predicted for s in scores) - matched, sum(s.gold for s in scores) - matched)
    roles = sum(s.roles for s in scores)
    return p, r, f1, sum(s.roles_found for s in scores) / roles if roles else 0.0


def print_people_table(console: Console, scores: list[PeopleScore]) -> None:
    """Print people P/R/F1 and role recall per document and over all."""
    table = Table(title=f"french-news-gold: people and roles ({len(scores)} documents)")
    for column in ("document", "gold", "predicted", "matched", "P", "R", "F1", "roles", "role recall"):
        table.add_column(column, justify="left" if column == "document" else "right")
    for score in [*scores, None]:
        group = scores if score is None else [score]
        p, r, f1, role_recall = people_prf(group)
        counts = [sum(getattr(s, name) for s in group) for name in ("gold", "predicted", "matched", "roles")]
        table.add_row("all" if score is None else score.doc_id, *map(str, counts[:3]), f"{p:.3f}", f"{r:.3f}",
                      f"{f1:.3f}", str(counts[3]), f"{role_recall:.3f}")
    console.print(table)


def print_people_failures(console: Console, scores: list[PeopleScore], worst: int) -> None:
    """Print the documents with the lowest people F1, with the people and roles they missed."""
    table = Table(title=f"french-news-gold: worst {worst} documents (people F1)")
    for column in ("document", "F1", "missed people", "missed roles"):
        table.add_column(column)
    scored = [s for s in scores if s.gold or s.predicted]  # a document with no one in it has nothing to miss
    for score in sorted(scored, key=lambda s: people_prf([s])[2])[:worst]:
        table.add_row(score.doc_id, f"{people_prf([score])[2]:.2f}", "; ".join(score.missed_people),
                      "; ".join(score.missed_roles))
    console.print(table)


def evaluate_people(console: Console, path: Path, failures: int) -> None:
    """Score people and roles on every french-news-gold document."""
    scores = []
    with console.status("annotating french-news-gold documents"):
        for line in path.read_text(encoding="utf-8").splitlines():
            gold = json.loads(line)
            article, error = annotate_text(gold["text"], gold.get("published"))
            scores.append(score_people(gold["doc_id"], gold["people"], article.entities if article else []))
            scores[-1].error = error
    _report_failed(console, "french-news-gold", [(s.doc_id, s.error) for s in scores if s.error])
    print_people_table(console, scores)
    if failures:
        print_people_failures(console, scores, failures)


# -- (c) the seed page ----------------------------------------------------------------

def find_seed(shared: Path) -> tuple[Path, Path] | None:
    """Return the seed page and its expected record, from shared or the repo's test copy."""
    for folder in (shared / "data" / "seed", REPO / "tests" / "data" / "seed"):
        pages = sorted(folder.glob("*.expected.json")) if folder.is_dir() else []
        if pages:
            expected = pages[0]
            return expected.with_name(expected.name.replace(".expected.json", ".txt")), expected
    return None


def evaluate_seed(console: Console, page: Path, expected_path: Path) -> None:
    """Print, for each person of the seed's expected record, what the pipeline found."""
    import veille

    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    result = veille.extract(page.read_text(encoding="utf-8"), published=expected["published"])
    if not isinstance(result, Article):
        console.print(f"[red]seed page rejected: {result.reason}: {result.error}[/red]", highlight=False)
    entities = getattr(result, "entities", [])
    score = score_people(page.name, expected["people"], entities)
    matches = match_people([p["name"] for p in expected["people"]], [e for e in entities if e.type == "PER"])
    table = Table(title=f"Seed page {page.name}: people and roles")
    for column in ("person", "found as", "roles found", "roles missed", "variants found"):
        table.add_column(column)
    for i, person in enumerate(expected["people"]):
        entity = matches.get(i)
        roles = entity.roles if entity else []
        found = [r for r in person["roles"] if any(role_matches(r, x) for x in roles)]
        missed = [r for r in person["roles"] if r not in found]
        mentions = {m.text for m in entity.mentions} if entity else set()
        variants = person.get("variants", [])
        table.add_row(person["name"], entity.name if entity else "[red]missed[/red]", "; ".join(found),
                      "; ".join(missed), f"{sum(v in mentions for v in variants)}/{len(variants)}")
    console.print(table)
    console.print(f"people found {score.matched}/{score.gold}, predicted {score.predicted}; "
                  f"roles found {score.roles_found}/{score.roles}", highlight=False)
    _print_seed_names(console, expected, entities)


def _print_seed_names(console: Console, expected: dict, entities: list[Entity]) -> None:
    """Print the expected places and organisations the pipeline named, and the ones it missed."""
    for kind, label in (("places", "LOC"), ("organizations", "ORG")):
        names = {name_key(m.text) for e in entities if e.type == label for m in e.mentions} | {
            name_key(e.name) for e in entities if e.type == label}
        missed = [name for name in expected.get(kind, []) if name_key(name) not in names]
        console.print(f"{kind}: {len(expected.get(kind, [])) - len(missed)}/{len(expected.get(kind, []))} found"
                      + (f"; missed: {', '.join(missed)}" if missed else ""), highlight=False)


# -- entry point ----------------------------------------------------------------------

def _report_failed(console: Console, title: str, failed: list[tuple[str, str | None]]) -> None:
    """Say which documents raised during annotation (they score as empty), and the first error."""
    if failed:
        console.print(f"[red]{title}: {len(failed)} documents raised and score as empty "
                      f"({', '.join(doc_id for doc_id, _ in failed[:5])}...); first error: {failed[0][1]}[/red]",
                      highlight=False)


def run(shared: Path, console: Console, failures: int = 0) -> None:
    """Evaluate entities on every set found under ``shared`` and on the seed page."""
    if not console.is_terminal and console.width < WIDTH:
        console = Console(width=WIDTH)  # piped output gets 80 columns otherwise: too narrow for the tables
    dev = Path(shared) / "data" / "dev"
    hipe, news = dev / "hipe2022-ner-fr", dev / "french-news-gold" / "gold.jsonl"
    if hipe.is_dir():
        evaluate_hipe(console, hipe, failures)
    else:
        console.print(f"[yellow]skipped HIPE-2022 NER: {hipe} not found (pass --shared PATH)[/yellow]")
    if news.is_file():
        evaluate_people(console, news, failures)
    else:
        console.print(f"[yellow]skipped french-news-gold people: {news} not found (pass --shared PATH)[/yellow]")
    seed = find_seed(Path(shared))
    if seed is None:
        console.print("[yellow]skipped the seed page: no *.expected.json found[/yellow]")
    else:
        evaluate_seed(console, *seed)
