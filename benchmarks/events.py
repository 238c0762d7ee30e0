"""Event extraction's cost per article on top of the rest of the annotate stage, per language.

The articles are the annotate benchmark's (benchmarks/annotate.py): the gold texts and HTML
pages of the dev sets under ``<shared>/data/dev/``, read where they are, else the bundled
samples. In one run, per language: the annotate stage without events (parse, entities,
quotes, dates: the baseline), then ``veille.nlp.events.find_events`` alone on the parses and
annotations of that stage, made once before the timed rounds. The figure is the events'
time per article and its share of the baseline's (+5%: events make annotate 5% longer).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console

from benchmarks.annotate import DEFAULT_LIMIT, CpuClock, Inputs, find_inputs, with_cpu_clocks
from benchmarks.common import (Figure, Stage, machine, machine_note, measure, peak_rss_mb, show_figures,
                               table_rows, write_report)
from veille.nlp import dates, entities, quotes
from veille.nlp.annotate import parse_article
from veille.nlp.models import model_name
from veille.nlp.parse import Parsed
from veille.records import Article


@dataclass(slots=True)
class Annotated:
    """What the annotate stage finds in an article before its events: the inputs of find_events."""

    parsed: Parsed
    entities: list
    quotes: list
    dates: list


def annotate_without_events(article: Article) -> Annotated:
    """Parse an article and find its entities, quotes and dates, as annotate does before the events."""
    parsed = parse_article(article)
    found = entities.find_entities(parsed)
    return Annotated(parsed, found, quotes.find_quotes(parsed, found), dates.find_dates(parsed))


def events_finder() -> tuple[Callable[..., list] | None, str]:
    """Return veille.nlp.events.find_events, or None and why it cannot be had."""
    try:
        from veille.nlp.events import find_events
    except ImportError as error:
        return None, f"veille.nlp.events.find_events cannot be imported ({error})"
    return find_events, ""


def build_stages(language: str, articles: list[Article], annotated: list[Annotated],
                 find_events: Callable[..., list]) -> list[Stage]:
    """Return the baseline (annotate without events) and find_events alone on the baseline's output."""
    def events_alone(_: object) -> None:
        """Find the events of every article from its parse and annotations."""
        for done in annotated:
            find_events(done.parsed, done.entities, done.quotes, done.dates)

    return [Stage(f"parse+entities+quotes+dates ({language})", len(articles),
                  lambda _: [annotate_without_events(a) for a in articles]),
            Stage(f"find_events ({language})", len(articles), events_alone)]


@dataclass(slots=True)
class Measured:
    """One language's figures, baseline first, their CPU clocks, and the events found per article."""

    figures: list[Figure]
    clocks: list[CpuClock]
    events: list[int]


def measure_language(language: str, articles: list[Article], find_events: Callable[..., list], repeat: int,
                     on_stage: Callable[[str], None]) -> Measured:
    """Time annotate without events, then find_events on its output, round by round."""
    # The untimed pass that makes find_events' inputs also warms the model up: the first pass
    # over new texts pays for growing its vocabulary (see benchmarks/annotate.py, warm_up).
    annotated = [annotate_without_events(article) for article in articles]
    found = [len(find_events(a.parsed, a.entities, a.quotes, a.dates)) for a in annotated]
    stages, clocks = with_cpu_clocks(build_stages(language, articles, annotated, find_events))
    return Measured(measure(stages, repeat, on_stage=on_stage), clocks, found)


def run(shared: Path, console: Console, *, repeat: int = 3, markdown: bool = False, out: Path,
        articles: list[str] | None = None, limit: int | None = DEFAULT_LIMIT) -> dict | None:
    """Measure find_events against the rest of the annotate stage per language; skip until it exists."""
    find_events, problem = events_finder()
    if find_events is None:
        console.print(f"events benchmark skipped: {problem}", highlight=False)
        return None
    inputs = find_inputs(shared, articles, limit)
    if not inputs.articles:
        raise SystemExit(f"no French or English article with a model to benchmark in {inputs.label}")
    measured: dict[str, Measured] = {}
    with console.status("measuring") as status:
        for language, group in inputs.articles.items():
            measured[language] = measure_language(language, group, find_events, repeat, status.update)
    report = make_report(inputs, measured, repeat)
    show(console, report, measured, markdown)
    write_report(console, out, report)
    return report


def per_article_ms(seconds: float, articles: int) -> float:
    """Return milliseconds per article."""
    return 1000 * seconds / articles


def make_report(inputs: Inputs, measured: dict[str, Measured], repeat: int) -> dict[str, Any]:
    """Return everything the run measured, as JSON-ready values."""
    languages = {}
    for language, result in measured.items():
        (baseline, events), n = result.figures, len(inputs.articles[language])
        cpu_base, cpu_events = (clock.median for clock in result.clocks)
        languages[language] = {
            "model": model_name(language), "articles": n,
            "events_found": sum(result.events), "articles_with_events": sum(1 for k in result.events if k),
            "stages": [{**figure.to_dict(baseline), "cpu_seconds": [round(s, 4) for s in clock.seconds],
                        "median_cpu_s": round(clock.median, 4)} for figure, clock in zip(result.figures, result.clocks)],
            "baseline_ms_per_article": round(per_article_ms(baseline.median, n), 2),
            "baseline_cpu_ms_per_article": round(per_article_ms(cpu_base, n), 2),
            "events_ms_per_article": round(per_article_ms(events.median, n), 3),
            "events_cpu_ms_per_article": round(per_article_ms(cpu_events, n), 3),
            "share": round(events.median / baseline.median, 4),
            "share_cpu": round(cpu_events / cpu_base, 4) if cpu_base > 0 else None}
    return {"benchmark": "events", "date": date.today().isoformat(), "machine": machine(),
            "inputs": inputs.label, "repeat": repeat, "languages": languages, "peak_rss_mb": round(peak_rss_mb(), 1)}


def show(console: Console, report: dict[str, Any], measured: dict[str, Measured], markdown: bool) -> None:
    """Print the table (rich or Markdown) with the machine, the inputs and each language's figures."""
    rows = [row for result in measured.values() for row in table_rows(result.figures, result.figures[0])]
    notes = [machine_note(report["machine"]),
             f"Inputs: {report['inputs']}",
             f"Median of {report['repeat']} run(s) on {report['date']}, one process; × baseline: articles/s over "
             f"those of parse+entities+quotes+dates on the same articles"]
    for language, of in report["languages"].items():
        share_cpu = f"{of['share_cpu']:+.1%}" if of["share_cpu"] is not None else "n/a"
        notes.append(f"{language}: {of['articles']} articles, {of['events_found']} events in "
                     f"{of['articles_with_events']}; find_events {of['events_ms_per_article']:.2f} ms/article "
                     f"({of['events_cpu_ms_per_article']:.2f} CPU) on top of {of['baseline_ms_per_article']:.1f} "
                     f"({of['baseline_cpu_ms_per_article']:.1f} CPU) for the rest of annotate: {of['share']:+.1%} "
                     f"in wall time, {share_cpu} in CPU time")
    show_figures(console, "Event extraction on top of annotate", rows, notes, markdown)
