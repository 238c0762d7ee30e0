"""Cleaning quality: body-text F1 of the dump cleaner beside trafilatura, on the dev sets.

Two sets under ``<shared>/data/dev/``, read at run time and never copied into the repo:

- ``article-extraction-benchmark``: gold article bodies; scored with 4-word-shingle
  precision/recall as its README describes (per-document TP/FP/FN shingle counts divided
  by their sum, averaged over documents; P and R from the means, F1 from P and R);
- ``trafilatura-eval``: ``with`` snippets that must appear and ``without`` snippets that
  must not; scored over all snippets, per language.
"""
from __future__ import annotations

import gzip
import html
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table

from veille.clean.dump import clean_dump

_WORDS = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")
SHINGLE = 4  # the benchmark's own n-gram size


@dataclass(slots=True)
class Document:
    """One dev page: its dump, its HTML and its gold."""

    doc_id: str
    lang: str
    dump: str
    html: str
    body: str | None = None
    with_snippets: list[str] = field(default_factory=list)
    without_snippets: list[str] = field(default_factory=list)


Extractor = Callable[[Document], "str | None"]


# -- loading ---------------------------------------------------------------------------

def load_benchmark(root: Path) -> list[Document]:
    """Return the article-extraction-benchmark pages that have a text dump."""
    docs = []
    for line in (root / "ground-truth.jsonl").read_text(encoding="utf-8").splitlines():
        gold = json.loads(line)
        dump = root / "dumps" / f"{gold['doc_id']}.txt"
        if not dump.exists():
            continue
        with gzip.open(root / gold["html_file"], "rt", encoding="utf-8") as handle:
            page = handle.read()
        lang = (gold.get("html_lang_attr") or "?")[:2].lower()
        docs.append(Document(gold["doc_id"], lang, dump.read_text(encoding="utf-8"), page, body=gold["articleBody"]))
    return docs


def load_trafilatura_eval(root: Path) -> list[Document]:
    """Return the trafilatura-eval pages that have a text dump."""
    docs = []
    for line in (root / "annotations.jsonl").read_text(encoding="utf-8").splitlines():
        gold = json.loads(line)
        dump = root / "dumps" / f"{gold['doc_id']}.txt"
        if not dump.exists():
            continue
        page = (root / gold["html_file"]).read_text(encoding="utf-8", errors="replace")
        docs.append(Document(gold["doc_id"], gold["lang"], dump.read_text(encoding="utf-8"), page,
                             with_snippets=gold["with"], without_snippets=gold["without"]))
    return docs


# -- extractors ------------------------------------------------------------------------

def keep_everything(doc: Document) -> str:
    """Return the dump as it is."""
    return doc.dump


def trafilatura_on_dump(doc: Document) -> str:
    """Return trafilatura's extraction from the dump, each non-blank line wrapped as a paragraph."""
    import trafilatura

    lines = (line.strip() for line in doc.dump.splitlines())
    body = "".join(f"<p>{html.escape(line)}</p>\n" for line in lines if line)
    return trafilatura.extract(f"<html><body>\n{body}</body></html>", include_comments=False) or ""


def veille_dump(doc: Document) -> str:
    """Return the text of veille's dump cleaner."""
    return clean_dump(doc.dump, language_hint=doc.lang).text


def trafilatura_on_html(doc: Document) -> str:
    """Return trafilatura's extraction from the full HTML."""
    import trafilatura

    return trafilatura.extract(doc.html, include_comments=False) or ""


def veille_html_path() -> Extractor | None:
    """Return veille's HTML cleaner as an extractor, or None when it is not available yet."""
    try:
        from veille.clean.html import clean_html
    except ImportError:
        return None
    return lambda doc: clean_html(doc.html).text


def extractors() -> list[tuple[str, Extractor | None]]:
    """Return the rows of every table, in order."""
    return [
        ("keep everything", keep_everything),
        ("trafilatura on the dump text", trafilatura_on_dump),
        ("veille dump cleaner", veille_dump),
        ("trafilatura alone on HTML", trafilatura_on_html),
        ("veille HTML path", veille_html_path()),
    ]


# -- scoring ---------------------------------------------------------------------------

def shingles(text: str) -> Counter:
    """Return the multiset of 4-token shingles of a text."""
    tokens = _WORDS.findall(text)
    return Counter(tuple(tokens[i:i + SHINGLE]) for i in range(max(0, len(tokens) - SHINGLE + 1)))


def shingle_fractions(predicted: str, gold: str) -> tuple[float, float, float]:
    """Return one document's TP, FP, FN shingle counts divided by their sum."""
    pred, true = shingles(predicted), shingles(gold)
    tp = sum((pred & true).values())
    fp = sum((pred - true).values())
    fn = sum((true - pred).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def snippet_counts(predicted: str, doc: Document) -> tuple[int, int, int]:
    """Return TP, FP, FN over one page's snippets, after whitespace normalisation."""
    text = _SPACES.sub(" ", predicted)
    found = [_SPACES.sub(" ", s).strip() in text for s in doc.with_snippets]
    leaked = [_SPACES.sub(" ", s).strip() in text for s in doc.without_snippets]
    return sum(found), sum(leaked), len(found) - sum(found)


def prf(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
    """Return precision, recall and F1 from (summed) TP, FP, FN."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def score_documents(docs: list[Document], outputs: list[str]) -> list[tuple[float, float, float]]:
    """Return per-document (TP, FP, FN), as shingle fractions or snippet counts."""
    if docs and docs[0].body is not None:
        return [shingle_fractions(out, doc.body or "") for doc, out in zip(docs, outputs)]
    return [snippet_counts(out, doc) for doc, out in zip(docs, outputs)]


def total(counts: Iterable[tuple[float, float, float]]) -> tuple[float, float, float]:
    """Return precision, recall and F1 from per-document counts."""
    tp, fp, fn = (sum(c) for c in zip(*counts)) if counts else (0, 0, 0)
    return prf(tp, fp, fn)


# -- reporting -------------------------------------------------------------------------

def run_extractor(extract: Extractor, docs: list[Document]) -> tuple[list[str], float, int]:
    """Return every document's output, the mean milliseconds per document and the pages that failed."""
    outputs, failed = [], 0
    start = time.perf_counter()
    for doc in docs:
        try:
            outputs.append(extract(doc) or "")
        except Exception:  # a failing page scores as an empty extraction; the count is printed
            outputs.append("")
            failed += 1
    return outputs, 1000 * (time.perf_counter() - start) / max(1, len(docs)), failed


def print_table(console: Console, title: str, docs: list[Document], results: dict) -> None:
    """Print one table: a row per extractor, P/R/F1 over the given documents."""
    table = Table(title=f"{title} ({len(docs)} pages)")
    for column in ("extractor", "precision", "recall", "F1", "ms/page"):
        table.add_column(column, justify="left" if column == "extractor" else "right")
    keep = {doc.doc_id for doc in docs}
    for name, result in results.items():
        if result is None:
            table.add_row(name, "not available", "", "", "")
            continue
        counts, ms = result
        p, r, f1 = total([c for doc_id, c in counts if doc_id in keep])
        table.add_row(name, f"{p:.3f}", f"{r:.3f}", f"{f1:.3f}", f"{ms:.1f}")
    console.print(table)


def print_failures(console: Console, title: str, docs: list[Document], counts: list, worst: int) -> None:
    """Print the dump cleaner's worst documents, lowest F1 first."""
    table = Table(title=f"{title}: worst {worst} pages for the veille dump cleaner")
    for column in ("page", "lang", "precision", "recall", "F1"):
        table.add_column(column)
    scored = sorted(((prf(*c), doc) for doc, (_, c) in zip(docs, counts)), key=lambda item: item[0][2])
    for (p, r, f1), doc in scored[:worst]:
        table.add_row(doc.doc_id[:40], doc.lang, f"{p:.2f}", f"{r:.2f}", f"{f1:.2f}")
    console.print(table)


def evaluate_set(console: Console, title: str, docs: list[Document], failures: int) -> None:
    """Run every extractor on one set and print its tables (per language when it has several)."""
    results: dict = {}
    for name, extract in extractors():
        if extract is None:
            results[name] = None
            continue
        outputs, ms, failed = run_extractor(extract, docs)
        if failed:
            console.print(f"[red]{name}: {failed} of {len(docs)} pages raised; scored as empty[/red]")
        results[name] = ([(d.doc_id, c) for d, c in zip(docs, score_documents(docs, outputs))], ms)
    print_table(console, title, docs, results)
    languages = sorted({doc.lang for doc in docs})
    if docs[0].body is None and len(languages) > 1:
        for lang in languages:
            print_table(console, f"{title}, language {lang}", [d for d in docs if d.lang == lang], results)
    if failures:
        print_failures(console, title, docs, results["veille dump cleaner"][0], failures)


def run(shared: Path, console: Console, failures: int = 0) -> None:
    """Evaluate cleaning on every dev set found under ``shared``."""
    dev = Path(shared) / "data" / "dev"
    sets = [("article-extraction-benchmark: body shingle F1", dev / "article-extraction-benchmark", load_benchmark),
            ("trafilatura-eval: snippet F1", dev / "trafilatura-eval", load_trafilatura_eval)]
    for title, root, load in sets:
        if not root.is_dir():
            console.print(f"[yellow]skipped {title}: {root} not found (pass --shared PATH)[/yellow]")
            continue
        evaluate_set(console, title, load(root), failures)
