"""How the command line shows things: progress bar, summaries and articles, with rich."""
from __future__ import annotations

import time
from typing import Any

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from veille.records import Article, Reject


def extract_record(result: Article | Reject) -> dict[str, Any]:
    """Return the `veille extract` JSON object of a result, 'source' first."""
    data = result.to_dict()
    return {"source": data.pop("source"), **data}


class IngestProgress:
    """Progress of an ingest: a live bar on a terminal, a plain line per committed batch in a log."""

    LOG_EVERY = 1.0  # seconds between plain lines: enough for a log, never a flood

    def __init__(self, console: Console, enabled: bool = True):
        self._console = console
        self._live = enabled and console.is_terminal
        self._log = enabled and not console.is_terminal
        self._progress = Progress(
            SpinnerColumn(), TextColumn("{task.completed:>8.0f} pages"),
            TextColumn("{task.fields[rate]:>7.1f} pages/s"), TextColumn("{task.fields[articles]} articles"),
            TextColumn("[red]{task.fields[rejects]} rejects"), TextColumn("{task.fields[skipped]} already stored"),
            TimeElapsedColumn(), console=console, disable=not self._live, transient=False)
        self._task = None
        self._started = self._logged = 0.0

    def __enter__(self) -> IngestProgress:
        self._progress.start()
        self._task = self._progress.add_task("ingest", total=None, rate=0.0, articles=0, rejects=0, skipped=0)
        self._started = time.monotonic()
        return self

    def __exit__(self, *exc) -> None:
        self._progress.stop()

    def advance(self, report) -> None:
        """Show the run's totals after a committed batch."""
        done = report.articles + report.rejects + report.skipped
        elapsed = time.monotonic() - self._started
        totals = {"articles": report.articles, "rejects": report.rejects, "skipped": report.skipped}
        self._progress.update(self._task, completed=done, rate=done / (elapsed or 1e-9), **totals)
        if self._log and (not self._logged or time.monotonic() - self._logged >= self.LOG_EVERY):
            self._logged = time.monotonic()
            self._console.print(f"committed: {done} pages ({report.articles} articles, {report.rejects} rejects, "
                                f"{report.skipped} already stored), {done / (elapsed or 1e-9):.1f} pages/s",
                                highlight=False)


def print_ingest_report(console: Console, report, db: str) -> None:
    """Print what an ingest run stored."""
    reasons = ", ".join(f"{reason} {n}" for reason, n in report.reasons.most_common()) or "none"
    console.print(f"stored {report.articles} articles and {report.rejects} rejects from {report.pages} new pages "
                  f"into {db}; {report.skipped} pages were already stored. Reject reasons: {reasons}.")


def print_stats(console: Console, counts: dict[str, Any], rejects: list[dict], db: str) -> None:
    """Print a store's counts as tables."""
    table = Table(title=f"veille store {db}", show_header=False)
    for key in ("pages", "articles", "rejects", "entities", "quotes", "events"):
        table.add_row(key, str(counts[key]))
    table.add_row("languages", _pairs(counts["languages"]))
    table.add_row("sites", _pairs(counts["sites"]))
    table.add_row("boilerplate lines learned", _pairs(counts["boilerplate_lines"]) or "none yet")
    table.add_row("reject reasons", _pairs(counts["reject_reasons"]) or "none")
    console.print(table)
    if rejects:
        console.print("[bold]Latest rejects[/]")
        for reject in rejects:
            console.print(f"  [red]{reject['rejected']}[/]: {reject['error']}", highlight=False)


def print_article(console: Console, article: dict[str, Any], max_paragraphs: int | None = None) -> None:
    """Print one article: title, metadata, paragraphs and a count of removed lines."""
    console.rule(f"[bold]{article.get('title') or '(no title)'}")
    fields = ("id", "site", "section", "published", "published_from", "language", "wire_source", "byline",
              "url", "source")
    for field in fields:
        if article.get(field):
            console.print(f"[dim]{field}:[/] {article[field]}", highlight=False)
    paragraphs = article.get("paragraphs") or []
    for paragraph in paragraphs[:max_paragraphs]:
        console.print(f"\n{paragraph}", highlight=False)
    hidden = len(paragraphs) - len(paragraphs[:max_paragraphs])
    if hidden:
        console.print(f"\n[dim]... {hidden} more paragraph(s): veille show {article['id']}[/]")
    removed = article.get("removed") or []
    if removed:
        reasons = sorted({r["reason"] for r in removed})
        console.print(f"\n[dim]{len(removed)} line(s) removed as {', '.join(reasons)}[/]\n")
    print_annotations(console, article, max_quotes=None if max_paragraphs is None else 2)


def print_annotations(console: Console, article: dict[str, Any], max_quotes: int | None = None) -> None:
    """Print an article's people and other entities, quotes with their speakers, and dates."""
    entities = article.get("entities") or []
    for kind, label in (("PER", "people"), ("ORG", "organisations"), ("LOC", "places"), ("MISC", "other")):
        found = [e for e in entities if e["type"] == kind]
        if found:
            console.print(f"[bold]{label}:[/] " + "; ".join(_entity_line(e) for e in found), highlight=False)
    quotes = article.get("quotes") or []
    for quote in quotes[:max_quotes]:
        via = f" via {quote['via']}" if quote.get("via") else ""
        console.print(f"[bold]quote[/] ({quote['kind']}) [cyan]{quote.get('speaker') or '?'}[/]{via}: "
                      f"« {quote['text']} »", highlight=False)
    if len(quotes[:max_quotes]) < len(quotes):
        console.print(f"[dim]... {len(quotes) - len(quotes[:max_quotes])} more quote(s)[/]")
    dates = [f"{d['text']} = {d['resolved'] or '?'}" for d in article.get("dates") or []]
    if dates:
        console.print("[bold]dates:[/] " + "; ".join(dates), highlight=False)


def _entity_line(entity: dict[str, Any]) -> str:
    """Format an entity as 'Name (role, role) ×mentions'."""
    roles = f" ({', '.join(entity['roles'])})" if entity.get("roles") else ""
    count = len(entity.get("mentions") or [])
    return f"{entity['name']}{roles}" + (f" ×{count}" if count > 1 else "")


def _pairs(counts: dict[str, int]) -> str:
    """Format {name: count} as 'name n, name n'."""
    return ", ".join(f"{name} {n}" for name, n in counts.items())
