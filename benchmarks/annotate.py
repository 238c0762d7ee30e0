"""Annotate throughput: the annotate stage beside its spaCy pipeline alone, per language.

Every stage runs on the same clean, language-tagged articles: the gold bodies of
``article-extraction-benchmark``, the texts of ``french-news-gold`` and the HTML pages of
``trafilatura-eval`` cleaned by our HTML path (all under ``<shared>/data/dev/``, read where
they are), or the bundled samples under ``data/samples/`` when the dev sets are absent.
The baseline is the language's spaCy pipeline alone: ``nlp.pipe`` over each article's
paragraphs, the same model and batch the annotate stage uses, in the same run. The
overhead of our rules is annotate time over model time, minus one (the aim: under 0.3).
"""
from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rich.console import Console

from benchmarks.clean import SAMPLES, _files
from benchmarks.common import (Figure, Stage, machine, machine_note, measure, peak_rss_mb, show_figures,
                               table_rows, write_report)
from veille.nlp.annotate import annotate, parse_article
from veille.nlp.models import load_model, model_name
from veille.pipeline import clean_page
from veille.records import Article, Page
from veille.sources import SourceOptions, read_pages

LANGUAGES = ("fr", "en")
# 40 articles a language keeps a round (model, parse, annotate) near a minute on one idle core
# (the dev sets hold 20 French and 90 English clean articles; --limit changes it).
DEFAULT_LIMIT = 40
ARTICLE_SETS = (("article-extraction-benchmark", "ground-truth.jsonl", "articleBody"),
                ("french-news-gold", "gold.jsonl", "text"))
HTML_SET = "trafilatura-eval"


@dataclass(slots=True)
class Inputs:
    """The clean articles benchmarked, per language, and a sentence saying where they come from."""

    label: str
    articles: dict[str, list[Article]]


def find_inputs(shared: Path, paths: list[str] | None = None, limit: int | None = DEFAULT_LIMIT) -> Inputs:
    """Return clean articles from the given files, else the dev sets under shared, else the samples."""
    dev = shared / "data" / "dev"
    if paths:
        label, pages = "the files given on the command line", _pages(_files(paths), "article")
    elif all((dev / name).is_dir() for name, _, _ in ARTICLE_SETS) and (dev / HTML_SET).is_dir():
        label = f"gold texts of {', '.join(n for n, _, _ in ARTICLE_SETS)} and {HTML_SET} HTML under {dev}"
        pages = _gold_pages(dev) + _pages(_files([str(dev / HTML_SET / "html")]), "auto")
    else:
        label = f"bundled samples under {SAMPLES} ({dev} not found)"
        pages = _pages(_files([str(SAMPLES / "html"), str(SAMPLES / "dumps")]), "auto")
    return Inputs(label, by_language(clean_articles(pages), limit))


def _pages(paths: list[str], as_format: str) -> list[Page]:
    """Return the pages read from files (sources' rejects left out)."""
    return [page for page in read_pages(paths, SourceOptions(as_format=as_format)) if isinstance(page, Page)]


def _gold_pages(dev: Path) -> list[Page]:
    """Return the dev sets' gold article texts as pages of clean text (one paragraph a line)."""
    pages = []
    for folder, name, key in ARTICLE_SETS:
        for i, line in enumerate((dev / folder / name).read_text(encoding="utf-8").splitlines()):
            text = json.loads(line)[key]
            pages.append(Page(source=f"{folder}#{i}", content=text, format="article"))
    return pages


def clean_articles(pages: list[Page]) -> list[Article]:
    """Return the pages' clean articles, language-tagged as the pipeline does before annotating."""
    from veille.language import add_language

    articles = (clean_page(page) for page in pages)
    return [add_language(article) for article in articles if isinstance(article, Article)]


def by_language(articles: list[Article], limit: int | None) -> dict[str, list[Article]]:
    """Return the articles of each benchmarked language that has a model, at most limit of each."""
    groups = {lang: [a for a in articles if a.language == lang][:limit] for lang in LANGUAGES}
    return {lang: group for lang, group in groups.items() if group and load_model(lang) is not None}


@dataclass(slots=True)
class CpuClock:
    """The CPU seconds of this process spent in each run of a stage: steadier than wall time on a busy machine."""

    seconds: list[float] = field(default_factory=list)

    def wrap(self, run: Callable[[object], object]) -> Callable[[object], object]:
        """Return run, recording the CPU time each call takes."""
        def timed(prepared: object) -> object:
            start = time.process_time()
            try:
                return run(prepared)
            finally:
                self.seconds.append(time.process_time() - start)
        return timed

    @property
    def median(self) -> float:
        """Return the median CPU seconds of one run."""
        return statistics.median(self.seconds)


def with_cpu_clocks(stages: list[Stage]) -> tuple[list[Stage], list[CpuClock]]:
    """Return the stages with their runs timed in CPU seconds too, and the clocks."""
    clocks = [CpuClock() for _ in stages]
    for stage, clock in zip(stages, clocks):
        stage.run = clock.wrap(stage.run)
    return stages, clocks


def build_stages(language: str, articles: list[Article]) -> list[Stage]:
    """Return the baseline (the model alone), the parse and the whole annotate stage for one language."""
    nlp = load_model(language)

    def model_alone(_: object) -> None:
        """Run the pipeline over each article's paragraphs, as the parse does (one pipe per article)."""
        for article in articles:
            for _doc in nlp.pipe(article.paragraphs):
                pass

    return [Stage(baseline_name(language), len(articles), model_alone),
            Stage(f"parse_article ({language})", len(articles), lambda _: [parse_article(a) for a in articles]),
            Stage(f"annotate ({language})", len(articles), lambda _: [annotate(a) for a in articles])]


def warm_up(articles: list[Article], model_alone: Stage) -> None:
    """Load the model, lexicons and caches, untimed; the first pass also fills the model's vocabulary."""
    # Without a first pass over every text the baseline's first round paid for adding each
    # new word to the vocabulary: 8.6 CPU s against 5.1 and 5.3 for the next two (French, 20 articles).
    annotate(articles[0])
    model_alone.run(None)


def baseline_name(language: str) -> str:
    """Return the name of a language's baseline stage."""
    return f"{model_name(language)} alone ({language})"


def overhead(seconds: float, baseline_seconds: float) -> float:
    """Return how much longer a stage takes than the model alone (0.25: a quarter longer)."""
    return seconds / baseline_seconds - 1 if baseline_seconds > 0 else float("nan")


@dataclass(slots=True)
class Measured:
    """One language's figures: wall-clock (per stage) and CPU seconds (per stage), baseline first."""

    figures: list[Figure]
    clocks: list[CpuClock]


def run(shared: Path, console: Console, *, repeat: int = 3, markdown: bool = False, out: Path,
        articles: list[str] | None = None, limit: int | None = DEFAULT_LIMIT, profile: bool = False) -> dict:
    """Measure annotate against its model per language, print the table and write the JSON report."""
    inputs = find_inputs(shared, articles, limit)
    if not inputs.articles:
        raise SystemExit(f"no French or English article with a model to benchmark in {inputs.label}")
    measured: dict[str, Measured] = {}
    with console.status("measuring") as status:
        for language, group in inputs.articles.items():
            stages = build_stages(language, group)
            warm_up(group, stages[0])
            stages, clocks = with_cpu_clocks(stages)
            measured[language] = Measured(measure(stages, repeat, on_stage=lambda text: status.update(text)), clocks)
    report = make_report(inputs, measured, repeat)
    show(console, report, measured, markdown)
    write_report(console, out, report)
    if profile:
        profile_annotate(console, inputs)
    return report


def make_report(inputs: Inputs, measured: dict[str, Measured], repeat: int) -> dict:
    """Return everything the run measured, as JSON-ready values."""
    languages = {}
    for language, result in measured.items():
        baseline, articles = result.figures[0], inputs.articles[language]
        stages = [{**figure.to_dict(baseline), "cpu_seconds": [round(s, 4) for s in clock.seconds],
                   "median_cpu_s": round(clock.median, 4)} for figure, clock in zip(result.figures, result.clocks)]
        languages[language] = {
            "model": model_name(language), "articles": len(articles),
            "characters": sum(len(a.text) for a in articles),
            "median_characters": int(statistics.median(len(a.text) for a in articles)),
            "baseline": baseline.stage, "stages": stages,
            "overhead": round(overhead(result.clocks[-1].median, result.clocks[0].median), 3),
            "overhead_wall": round(overhead(result.figures[-1].median, baseline.median), 3)}
    return {"benchmark": "annotate", "date": date.today().isoformat(), "machine": machine(),
            "inputs": inputs.label, "repeat": repeat, "languages": languages,
            "peak_rss_mb": round(peak_rss_mb(), 1)}


def show(console: Console, report: dict, measured: dict[str, Measured], markdown: bool) -> None:
    """Print the table (rich or Markdown) with the machine, the inputs and each language's overhead."""
    rows = [row for result in measured.values() for row in table_rows(result.figures, result.figures[0])]
    notes = [machine_note(report["machine"]),
             f"Inputs: {report['inputs']}",
             f"Median of {report['repeat']} run(s) on {report['date']}, one process; × baseline: articles/s "
             f"over the articles/s of the language's spaCy pipeline alone on the same paragraphs"]
    for language, figures_of in report["languages"].items():
        notes.append(f"{language}: {figures_of['articles']} articles (median {figures_of['median_characters']} "
                     f"characters); overhead of annotate over {figures_of['model']} alone: "
                     f"{figures_of['overhead']:+.0%} in CPU time, {figures_of['overhead_wall']:+.0%} in wall time "
                     f"(aim: under +30%)")
    show_figures(console, "Annotate throughput", rows, notes, markdown)


def profile_annotate(console: Console, inputs: Inputs) -> None:
    """Profile one annotate pass per language with pyinstrument and print where the time goes."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        raise SystemExit("--profile needs pyinstrument: .venv/bin/pip install pyinstrument") from None
    for language, group in inputs.articles.items():
        profiler = Profiler(interval=0.001)
        with profiler:
            for article in group:
                annotate(article)
        # pyinstrument sees Python frames only: time in compiled code that our rules call (spaCy's
        # Token objects, its Matcher) may show at the top level. `py-spy record --native` tells them apart.
        console.print(f"[bold]Profile of annotate ({language}), {len(group)} articles[/bold]")
        print(profiler.output_text(unicode=True, color=False, show_all=False), flush=True)
