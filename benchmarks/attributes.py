"""The attribute ruler: spaCy's AttributeRuler beside veille's (nlp/attributes.py) and beside none.

The dev sets' HTML pages (under ``<shared>/data/dev/``, read where they are; the bundled
samples when they are absent) are cleaned and language-tagged; each language's titles and
paragraphs, as the annotate stage parses them, go through its spaCy pipeline with spaCy's
ruler and with veille's, and every token attribute the two give is compared (the counts are
reported). Then, round by round, each way goes first in turn: the whole ``nlp.pipe`` with
spaCy's ruler, with veille's, with the ruler disabled (not a floor: without the ruler's POS
the lemmatizer works otherwise); then each ruler alone on the docs the components before it
leave (copied, untimed). Figures are this process's CPU seconds, which other processes' load
moves less than wall time: medians over the rounds, ratios within the run.
"""
from __future__ import annotations

import os
import statistics
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import spacy
from rich.console import Console
from rich.table import Table
from spacy.language import Language
from spacy.tokens import Doc

from benchmarks.clean import find_inputs, read_all
from benchmarks.common import save_report
from veille.language import add_language
from veille.nlp.attributes import NAME, replace_ruler
from veille.nlp.models import model_name
from veille.pipeline import clean_page
from veille.records import Article

LANGUAGES = ("en", "fr")
WAYS = ("spaCy's ruler", "veille's ruler", "no ruler")
FIELDS = ("text", "tag_", "pos_", "dep_", "lemma_", "ent_type_", "ent_iob_", "is_sent_start")


def run(shared: Path, console: Console, *, repeat: int = 3, out: Path) -> dict:
    """Compare the rulers' tokens and CPU time per language, print the figures and write the JSON report."""
    inputs = find_inputs(shared, None)
    texts = texts_by_language(read_all(inputs.html))
    languages = {}
    for language in LANGUAGES:
        if texts.get(language) and model_name(language):
            languages[language] = measure_language(language, texts[language], repeat, console)
    show(console, languages)
    save_report(console, out, "attributes", inputs=inputs.label, repeat=repeat, languages=languages)
    return languages


def texts_by_language(pages: list) -> dict[str, list[str]]:
    """Return each language's titles and paragraphs, in the order the annotate stage parses them."""
    texts: dict[str, list[str]] = {}
    for page in pages:
        article = clean_page(page)
        if isinstance(article, Article):
            add_language(article)
            texts.setdefault(article.language, []).extend([article.title or "", *article.paragraphs])
    return texts


def measure_language(language: str, texts: list[str], repeat: int, console: Console) -> dict:
    """Return one language's token comparison, and CPU seconds per way and round: pipelines, then rulers alone."""
    stock, fast = spacy.load(model_name(language)), spacy.load(model_name(language))
    if not replace_ruler(fast):
        raise SystemExit(f"the fast attribute ruler cannot stand in for {model_name(language)}'s")
    pipes = {WAYS[0]: (stock.pipe, texts), WAYS[1]: (fast.pipe, texts),
             WAYS[2]: (lambda items: stock.pipe(items, disable=[NAME]), texts)}
    tokens, differing = compare(list(stock.pipe(texts)), list(fast.pipe(texts)))
    rulers = {f"{WAYS[0]} alone": (stock.get_pipe(NAME).pipe, parsed_up_to_ruler(stock, texts)),
              f"{WAYS[1]} alone": (fast.get_pipe(NAME).pipe, parsed_up_to_ruler(fast, texts))}
    figures = {"model": model_name(language), "texts": len(texts), "tokens": tokens, "tokens_differing": differing}
    with warnings.catch_warnings():  # the lemmatizer's warning that no POS was set: the point of "no ruler"
        warnings.filterwarnings("ignore", message=r"\[W108\]")
        figures["pipelines"] = interleave(pipes, repeat, lambda text: console.print(f"{language}: {text}"))
    figures["rulers"] = interleave(rulers, repeat, lambda text: console.print(f"{language}: {text}"))
    return figures


def parsed_up_to_ruler(nlp: Language, texts: list[str]) -> list[Doc]:
    """Return the texts' docs as the components before the attribute ruler leave them."""
    return list(nlp.pipe(texts, disable=nlp.pipe_names[nlp.pipe_names.index(NAME):]))


def interleave(ways: dict[str, tuple[Callable, list]], repeat: int, say: Callable[[str], None]) -> dict:
    """Return each way's CPU seconds per round (each way going first in turn), their medians and the load."""
    seconds: dict[str, list[float]] = {way: [] for way in ways}
    loads = [os.getloadavg()[0]]
    names = list(ways)
    for round_number in range(repeat):
        shift = round_number % len(names)
        for way in names[shift:] + names[:shift]:
            say(f"round {round_number + 1}/{repeat}, {way}")
            run, items = ways[way]
            seconds[way].append(cpu_seconds(run, items))
        loads.append(os.getloadavg()[0])
    return {"cpu_seconds": seconds, "median_cpu_s": {way: statistics.median(s) for way, s in seconds.items()},
            "load_average_1min": loads}


def compare(expected: list[Any], got: list[Any]) -> tuple[int, int]:
    """Return how many tokens two runs gave, and how many differ in any attribute, head or morphology."""
    rows = [[token_row(token) for token in doc] for doc in expected]
    other = [[token_row(token) for token in doc] for doc in got]
    tokens = sum(map(len, rows))
    same = sum(a == b for doc, other_doc in zip(rows, other) for a, b in zip(doc, other_doc))
    return tokens, tokens - same + abs(tokens - sum(map(len, other)))


def token_row(token: Any) -> tuple:
    """Return a token's attributes, head and morphology."""
    return (*(getattr(token, field) for field in FIELDS), str(token.morph), token.head.i)


def cpu_seconds(run: Callable, items: list) -> float:
    """Return this process's CPU seconds to run a pipe over items (docs are copied first, untimed)."""
    items = [item.copy() if isinstance(item, Doc) else item for item in items]
    start = time.process_time()
    for _ in run(items):
        pass
    return time.process_time() - start


def show(console: Console, languages: dict) -> None:
    """Print each way's median CPU seconds and its ratio to spaCy's ruler, pipelines then rulers alone."""
    table = Table(title="attribute ruler: CPU seconds (medians)")
    for header in ("language", "way", "tokens", "differing", "median CPU s", "× spaCy's"):
        table.add_column(header, justify="left" if header in ("language", "way") else "right")
    for language, figures in languages.items():
        for part in ("pipelines", "rulers"):
            medians = figures[part]["median_cpu_s"]
            first = next(iter(medians.values()))
            for way, median in medians.items():
                table.add_row(language, way, str(figures["tokens"]), str(figures["tokens_differing"]),
                              f"{median:.2f}", f"{median / first:.3f}")
    console.print(table)
    for language, figures in languages.items():
        for part in ("pipelines", "rulers"):
            loads = ", ".join(f"{load:.1f}" for load in figures[part]["load_average_1min"])
            console.print(f"{language}, {part}: 1-minute load average before and after each round: {loads}",
                          highlight=False)
