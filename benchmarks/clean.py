"""Cleaning throughput: each step from reading a page to storing it, beside trafilatura alone.

Every stage runs on the same pages: the HTML pages and the text dumps of the dev sets under
``<shared>/data/dev/`` (read where they are, never copied), or the bundled samples under
``data/samples/`` when the dev sets are absent. Throughput is compared with
``trafilatura.extract(html, include_comments=False)`` on the same HTML, measured in the
same run: the ratio says how our steps fare against the extractor they build on.
"""
from __future__ import annotations

import itertools
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import trafilatura
from rich.console import Console

from benchmarks.common import (Figure, Stage, machine, machine_note, measure, peak_rss_mb, show_figures,
                               table_rows, write_report)
from veille.clean.dump import clean_dump
from veille.clean.encoding import repair_text
from veille.clean.html import clean_html
from veille.ingest import DEFAULT_BATCH, ingest
from veille.language import add_language
from veille.nlp.annotate import annotate_parsed, parse_articles
from veille.nlp.events import find_events
from veille.pipeline import page_text, process_page
from veille.records import Article, Page
from veille.sources import read_pages
from veille.sources.files import expand_paths
from veille.store.writer import StoreWriter

DEV_SETS = ("article-extraction-benchmark", "trafilatura-eval")
SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
BASELINE = "trafilatura alone (html)"


@dataclass(slots=True)
class Inputs:
    """The files benchmarked, and a sentence saying where they come from."""

    label: str
    html: list[str]
    dumps: list[str]


def find_inputs(shared: Path, html: list[str] | None = None, dumps: list[str] | None = None) -> Inputs:
    """Return the given files, else the dev sets under shared, else the bundled samples."""
    if html or dumps:
        return Inputs("the files given on the command line", _files(html or []), _files(dumps or []))
    dev = [shared / "data" / "dev" / name for name in DEV_SETS]
    if all(folder.is_dir() for folder in dev):
        return Inputs(f"dev sets {', '.join(DEV_SETS)} under {shared / 'data' / 'dev'}",
                      _files([str(d / "html") for d in dev]), _files([str(d / "dumps") for d in dev]))
    return Inputs(f"bundled samples under {SAMPLES} ({shared / 'data' / 'dev'} not found)",
                  _files([str(SAMPLES / "html")]), _files([str(SAMPLES / "dumps")]))


def _files(paths: list[str]) -> list[str]:
    """Return the files under the given files and folders that exist, in a stable order."""
    return list(expand_paths([path for path in paths if Path(path).exists()]))


def read_all(paths: list[str]) -> list[Page]:
    """Return the pages read from paths (sources' rejects left out: nothing to clean)."""
    return [page for page in read_pages(paths) if isinstance(page, Page)]


def build_stages(inputs: Inputs, workdir: Path) -> list[Stage]:
    """Return the stages to measure, each closed over its prepared input."""
    html_pages, dump_pages = read_all(inputs.html), read_all(inputs.dumps)
    pages = html_pages + dump_pages
    htmls = [page_text(page) for page in html_pages]
    # The dump cleaner sees repaired text in the pipeline; repairing is not its cost.
    dumps = [repair_text(page_text(page)) for page in dump_pages]
    results = [(page, process_page(page)) for page in pages]
    articles = [result for _, result in results if isinstance(result, Article)]
    stages = [Stage("read (sources)", len(pages), lambda _: read_all(inputs.html + inputs.dumps)),
              Stage("clean_dump (dumps)", len(dumps), lambda _: [clean_dump(text) for text in dumps]),
              Stage("clean_html (html)", len(htmls), lambda _: [clean_html(html) for html in htmls]),
              Stage(BASELINE, len(htmls), lambda _: [_extract(html) for html in htmls]),
              Stage("language (articles)", len(articles), lambda _: [add_language(a) for a in articles]),
              Stage("process_page (html)", len(html_pages), lambda _: [process_page(p) for p in html_pages]),
              Stage("process_page (dumps)", len(dump_pages), lambda _: [process_page(p) for p in dump_pages])]
    stages += _annotate_stages(articles)
    stages += _store_stages(inputs, results, workdir)
    return [stage for stage in stages if stage.pages]


def _annotate_stages(articles: list[Article]) -> list[Stage]:
    """Return the annotate stage's parts on the articles found: the parse, the rules, the events alone."""
    parses = parse_articles(articles)
    for article, parsed in zip(articles, parses):
        annotate_parsed(article, parsed)

    def rules() -> None:
        """Run every rule of the annotate stage (events included) on the parsed articles."""
        for article, parsed in zip(articles, parses):
            annotate_parsed(article, parsed)

    def events() -> None:
        """Find the events of the parsed articles, from their entities, quotes and dates."""
        for article, parsed in zip(articles, parses):
            find_events(parsed, article.entities, article.quotes, article.dates)

    n = len(articles)
    return [Stage("annotate: parse (one pipe per language)", n, lambda _: parse_articles(articles)),
            Stage("annotate: rules (parsed articles)", n, lambda _: rules()),
            Stage("annotate: events alone (parsed articles)", n, lambda _: events())]


def _extract(html: str) -> str | None:
    """Run trafilatura alone, with its defaults but for comments (which are not the article)."""
    return trafilatura.extract(html, include_comments=False)


def _store_stages(inputs: Inputs, results: list, workdir: Path) -> list[Stage]:
    """Return the stages that write a fresh store: the writer alone, then ingest end to end."""
    counter = itertools.count()

    def fresh_db() -> str:
        """Return the path of a store file no run has used yet."""
        return str(workdir / f"bench-{next(counter)}.duckdb")

    def write_all(writer: StoreWriter) -> None:
        """Write every result in ingest-sized batches, then close the store."""
        for start in range(0, len(results), DEFAULT_BATCH):
            writer.write_batch(results[start:start + DEFAULT_BATCH])
        writer.close()  # the checkpoint moves the batches into the file: part of the cost

    paths = inputs.html + inputs.dumps
    return [Stage("store writes", len(results), write_all, lambda: StoreWriter(fresh_db())),
            Stage("ingest, 1 worker", len(results), lambda db: ingest(paths, db, workers=1), fresh_db),
            Stage("ingest, 2 workers", len(results), lambda db: ingest(paths, db, workers=2), fresh_db, 2)]


def warm_up(inputs: Inputs) -> None:
    """Run one page of each kind through everything once: imports, lexicons and caches load here."""
    for page in read_all(inputs.html[:1] + inputs.dumps[:1]):
        process_page(page)
        if page.format == "html":
            _extract(page_text(page))


def run(shared: Path, console: Console, *, repeat: int = 3, markdown: bool = False, out: Path,
        html: list[str] | None = None, dumps: list[str] | None = None) -> dict:
    """Measure every cleaning stage, print the table and write the JSON report; return the report."""
    inputs = find_inputs(shared, html, dumps)
    if not inputs.html and not inputs.dumps:
        raise SystemExit(f"no pages to benchmark: {inputs.label} holds none; pass --shared or --html/--dumps")
    warm_up(inputs)
    with tempfile.TemporaryDirectory(prefix="veille-bench-") as workdir:
        stages = build_stages(inputs, Path(workdir))
        with console.status("measuring") as status:
            figures = measure(stages, repeat, on_stage=lambda text: status.update(text))
    report = make_report(inputs, figures, repeat)
    show(console, report, figures, markdown)
    write_report(console, out, report)
    return report


def baseline_of(figures: list[Figure]) -> Figure | None:
    """Return the baseline's figures (none when there is no HTML page)."""
    return next((figure for figure in figures if figure.stage == BASELINE), None)


def make_report(inputs: Inputs, figures: list[Figure], repeat: int) -> dict:
    """Return everything the run measured, as JSON-ready values."""
    baseline = baseline_of(figures)
    return {"benchmark": "clean", "date": date.today().isoformat(), "machine": machine(),
            "inputs": {"label": inputs.label, "html_pages": len(inputs.html), "dump_pages": len(inputs.dumps)},
            "repeat": repeat, "baseline": BASELINE if baseline else None,
            "stages": [figure.to_dict(baseline) for figure in figures],
            "peak_rss_mb": round(peak_rss_mb(), 1)}


def show(console: Console, report: dict, figures: list[Figure], markdown: bool) -> None:
    """Print the table (rich or Markdown) with the machine, the inputs and the peak memory."""
    rows = table_rows(figures, baseline_of(figures))
    notes = [machine_note(report["machine"]),
             f"Inputs: {report['inputs']['html_pages']} HTML pages and {report['inputs']['dump_pages']} "
             f"text dumps from {report['inputs']['label']}",
             f"Median of {report['repeat']} run(s) on {report['date']}; × baseline: pages/s over the "
             f"pages/s of trafilatura.extract(html, include_comments=False) on the same HTML",
             # Pool workers are children of multiprocessing's forkserver, not of this process:
             # getrusage cannot see them, so the figure is the main process's alone.
             f"Peak resident memory of the main process: {report['peak_rss_mb']:.0f} MB"]
    show_figures(console, "Cleaning throughput", rows, notes, markdown)
