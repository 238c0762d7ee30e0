"""End to end: articles per second per core of the whole pipeline, beside the limit and a plain script.

On the same HTML pages (the dev sets under ``<shared>/data/dev/``, else the bundled samples),
in one run, round by round:

- *the limit*: each article's spaCy pipeline alone over its already-clean paragraphs, as
  ``spacy.load`` gives it (veille replaces its attribute ruler by a faster one that gives the
  same attributes: the limit keeps spaCy's);
- *a plain script*: what a user would otherwise write, ``trafilatura.extract`` then ``nlp(text)``
  per page, with the stock model of the page's language;
- *veille's pipelines alone, one pipe per batch*: the models as veille loads them, each
  language's texts of a batch in one ``nlp.pipe``;
- ``process_page``, the whole per-page pipeline in one process, page by page, and
  ``process_pages``, the same over batches of 32 pages (a worker's half of an ingest batch),
  the articles of a batch parsed together;
- ``ingest`` into a fresh store with the local engine (1 and 2 workers) and, when Ray is
  installed, with the Ray engine (1 and 2 worker actors; Ray itself is started once,
  untimed, while each run's actors load their models within the timing).

Each row has its wall time and, for the stages that run in this process, its CPU time: on a
shared machine the CPU ratios are the steadier reading.

Aim (issue "engines"): at least 0.8x the limit per core, and faster than the plain script.
"""
from __future__ import annotations

import functools
import importlib.util
import itertools
import shutil
import tempfile
from datetime import date
from pathlib import Path

import trafilatura
from rich.console import Console

from benchmarks.clean import find_inputs, read_all
from benchmarks.common import (Figure, Stage, cpu_ratio, machine, machine_note, measure, peak_rss_mb,
                               show_figures, table_rows, write_report)
from veille.ingest import ingest, ingest_on_ray
from veille.language import add_language, detect_language
from veille.limits import DEFAULT_BATCH
from veille.nlp.models import load_model, model_name
from veille.pipeline import clean_page, page_text, process_page, process_pages
from veille.records import Article, Page

LIMIT = "limit: spaCy alone on clean text"
LIMIT_BATCHED = "veille's spaCy pipelines alone, one pipe per batch"
BATCH = DEFAULT_BATCH // 2  # what each of two workers gets of an ingest batch
PLAIN = "plain script: trafilatura + spaCy"
ONE_WORKER = "ingest, local, 1 worker"  # runs in this process: its CPU time is comparable with the baselines'
# 40 pages keep a round near a minute and a half on two idle cores (--limit changes it).
DEFAULT_PAGES = 40


def clean_articles(pages: list[Page]) -> list[Article]:
    """Return the pages' clean, language-tagged articles (what the annotate stage receives)."""
    articles = (clean_page(page) for page in pages)
    return [add_language(article) for article in articles if isinstance(article, Article)]


@functools.cache
def stock_model(language: str | None):
    """Return the language's spaCy pipeline as spacy.load gives it (None without one): what the baselines use."""
    import spacy

    name = model_name(language)
    try:
        return spacy.load(name) if name else None
    except (OSError, ImportError):
        return None


def spacy_alone(articles: list[Article]) -> None:
    """Run each article's stock model over its paragraphs, nothing else: the limit of the pipeline."""
    for article in articles:
        nlp = stock_model(article.language)
        if nlp is not None:
            for _doc in nlp.pipe(article.paragraphs):
                pass


def spacy_alone_batched(articles: list[Article]) -> None:
    """Run each language's model, as veille loads it, once over the articles' titles and paragraphs (a worker's batch)."""
    for language in dict.fromkeys(article.language for article in articles):
        nlp = load_model(language)
        texts = [text for a in articles if a.language == language for text in (a.title or "", *a.paragraphs)]
        if nlp is not None:
            for _doc in nlp.pipe(texts):
                pass


def plain_script(htmls: list[str]) -> None:
    """Extract each page with trafilatura and parse its text with its language's stock model."""
    for html in htmls:
        text = trafilatura.extract(html, include_comments=False)
        if text:
            nlp = stock_model(detect_language(text)[0])
            if nlp is not None:
                nlp(text)


def build_stages(pages: list[Page], paths: list[str], workdir: Path, ray: bool) -> list[Stage]:
    """Return the stages to measure, each closed over its prepared input; the limit comes first."""
    articles = clean_articles(pages)
    htmls = [page_text(page) for page in pages]
    counter = itertools.count()

    def fresh_db() -> str:
        """Return the path of a store file no run has used yet."""
        return str(workdir / f"bench-{next(counter)}.duckdb")

    n = len(pages)
    # The ingests leave the corpus passes out (corpus=False): the limit and the plain script do
    # no cross-article work, and the passes have their own benchmark (benchmarks/corpus.py).
    stages = [Stage(LIMIT, len(articles), lambda _: spacy_alone(articles)),
              Stage(LIMIT_BATCHED, len(articles), lambda _: spacy_alone_batched(articles)),
              Stage(PLAIN, n, lambda _: plain_script(htmls)),
              Stage("process_page, one page at a time", n, lambda _: [process_page(page) for page in pages]),
              Stage(f"process_pages, batches of {BATCH}", n, lambda _: _in_batches(process_pages, pages)),
              Stage(ONE_WORKER, n, lambda db: ingest(paths, db, workers=1, corpus=False), fresh_db),
              Stage("ingest, local, 2 workers", n, lambda db: ingest(paths, db, workers=2, corpus=False), fresh_db, 2,
                    in_process=False)]
    if ray:
        stages += [Stage(f"ingest, Ray, {cpus} CPU{'s' * (cpus > 1)}", n,
                         lambda db, cpus=cpus: _ray_ingest(paths, db, cpus), fresh_db, cpus, in_process=False)
               for cpus in (1, 2)]
    return stages


def _in_batches(fn, pages: list[Page]) -> None:
    """Run fn over the pages in batches of BATCH, as a worker gets them from the local engine."""
    for start in range(0, len(pages), BATCH):
        fn(pages[start:start + BATCH])


def _ray_ingest(paths: list[str], db: str, cpus: int) -> None:
    """Ingest on the running Ray with cpus worker actors, into a fresh store and a fresh shard folder."""
    from veille.engines.ray import RayEngine

    shards = Path(f"{db}.shards")
    ingest_on_ray(paths, db, engine=RayEngine(shards, cpus=cpus, shard_files=max(1, len(paths) // (4 * cpus))),
                  corpus=False)
    shutil.rmtree(shards, ignore_errors=True)


def has_ray() -> bool:
    """Return True when the Ray engine's extra is installed."""
    return all(importlib.util.find_spec(name) is not None for name in ("ray", "pyarrow"))


def run(shared: Path, console: Console, *, repeat: int = 3, markdown: bool = False, out: Path,
        html: list[str] | None = None, limit: int = DEFAULT_PAGES, ray: bool = True) -> dict:
    """Measure the pipeline end to end beside its limit and a plain script; print and write the figures."""
    inputs = find_inputs(shared, html)
    paths = inputs.html[:limit]
    if not paths:
        raise SystemExit(f"no HTML page to benchmark in {inputs.label}; pass --shared or --html")
    pages = read_all(paths)
    ray = ray and has_ray()
    spacy_alone(clean_articles(pages))  # warm-up, untimed: models, lexicons, the models' vocabularies
    [process_page(page) for page in pages]
    with tempfile.TemporaryDirectory(prefix="veille-bench-pipeline-") as workdir:
        if ray:
            from veille.engines.ray import start_local_ray

            start_local_ray(2)
        try:
            stages = build_stages(pages, paths, Path(workdir), ray)
            with console.status("measuring") as status:
                figures = measure(stages, repeat, on_stage=lambda text: status.update(text))
        finally:
            if ray:
                import ray as ray_module

                ray_module.shutdown()
    report = make_report(inputs.label, figures, repeat, ray)
    show(console, report, figures, markdown)
    write_report(console, out, report)
    return report


def make_report(label: str, figures: list[Figure], repeat: int, ray: bool) -> dict:
    """Return everything the run measured, as JSON-ready values (ratios over the limit)."""
    limit = figures[0]
    per_core = {figure.stage: figure.pages_per_s / figure.workers for figure in figures}
    # The aims are about the whole ingest (reading, cleaning, annotating, writing the store).
    best = max((f for f in figures if f.stage.startswith("ingest")), key=lambda f: f.pages_per_s / f.workers)
    return {"benchmark": "pipeline", "date": date.today().isoformat(), "machine": machine(), "inputs": label,
            "repeat": repeat, "baseline": LIMIT, "ray": ray, "stages": [f.to_dict(limit) for f in figures],
            "best": best.stage, "best_per_core_over_limit": round(per_core[best.stage] / per_core[LIMIT], 3),
            "best_per_core_over_plain": round(per_core[best.stage] / per_core[PLAIN], 3),
            "plain_over_limit": round(per_core[PLAIN] / per_core[LIMIT], 3), **_cpu_aims(figures),
            "peak_rss_mb": round(peak_rss_mb(), 1)}


def _cpu_aims(figures: list[Figure]) -> dict:
    """Return the one-worker ingest's CPU-time ratios over the limit and over the plain script."""
    by_name = {figure.stage: figure for figure in figures}
    ingest_one = by_name[ONE_WORKER]
    return {"one_worker_cpu_over_limit": round(cpu_ratio(ingest_one, by_name[LIMIT]), 3),
            "one_worker_cpu_over_plain": round(cpu_ratio(ingest_one, by_name[PLAIN]), 3)}


def show(console: Console, report: dict, figures: list[Figure], markdown: bool) -> None:
    """Print the table with the machine, the inputs and the aims."""
    rows = table_rows(figures, figures[0])
    notes = [machine_note(report["machine"]),
             f"Inputs: {figures[2].pages} HTML pages from {report['inputs']}",
             f"Median of {report['repeat']} run(s) on {report['date']}; × baseline: pages/s over the pages/s "
             f"of the spaCy pipelines alone on the same pages' clean text",
             f"Best per core: {report['best']}, {report['best_per_core_over_limit']:.2f}× the limit (aim ≥ 0.8), "
             f"{report['best_per_core_over_plain']:.2f}× the plain script (aim > 1)",
             f"In CPU time, {ONE_WORKER}: {report['one_worker_cpu_over_limit']:.2f}× the limit, "
             f"{report['one_worker_cpu_over_plain']:.2f}× the plain script"]
    if not report["ray"]:
        notes.append("Ray rows left out: --no-ray, or the veille[ray] extra is not installed")
    show_figures(console, "End to end", rows, notes, markdown)
