"""How the command line shows things: progress bar, summaries and articles, with rich."""
from __future__ import annotations

import time
from typing import Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                           TimeElapsedColumn)
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


class CorpusProgress:
    """Progress of the corpus passes: one bar per pass on a terminal, nothing in a log."""

    def __init__(self, console: Console, enabled: bool = True):
        self._progress = Progress(
            TextColumn("{task.description:<12}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=console, disable=not (enabled and console.is_terminal), transient=False)
        self._tasks: dict[str, Any] = {}

    def __enter__(self) -> CorpusProgress:
        self._progress.start()
        return self

    def __exit__(self, *exc) -> None:
        self._progress.stop()

    def advance(self, name: str, done: int, total: int) -> None:
        """Show how many of its new articles a pass has taken in."""
        if name not in self._tasks:
            self._tasks[name] = self._progress.add_task(name, total=total)
        self._progress.update(self._tasks[name], completed=done, total=total)


def print_corpus_report(console: Console, report) -> None:
    """Print what the corpus passes did: articles taken in and groups changed, per pass."""
    if report is None:
        return
    done = ", ".join(f"{name} {report.changed[name]} groups changed over {report.articles[name]} new articles"
                     for name in report.articles) or "no pass to run"
    console.print(f"corpus passes: {done}.", highlight=False)


def print_corpus_context(console: Console, article: dict[str, Any]) -> None:
    """Print the article's group of copies and its story, when it has them."""
    copies, story = article.get("copies"), article.get("story")
    if copies:
        agency = f", {copies['agency']}" if copies.get("agency") else ""
        console.print(f"[dim]duplicate group {copies['group']}: one of {copies['copies']} copies "
                      f"({copies['kind']}{agency}, {copies['independent_sources']} outlet(s)); "
                      f"`veille duplicates` lists them[/]", highlight=False)
    if story:
        console.print(f"[dim]in story {story['id']} ({story['articles']} articles, "
                      f"{', '.join(story['languages'])}): {escape(story['title'] or '')}[/]", highlight=False)


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
    """Print an article's people and other entities, quotes with their speakers, dates and events."""
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
    print_article_events(console, article.get("events") or [], max_quotes)


def print_article_events(console: Console, events: list[dict[str, Any]], limit: int | None = None) -> None:
    """Print an article's events: type and flags, who to whom, where and when, and the sentence."""
    for event in events[:limit]:
        flags = event_flags(event)
        head = event["type"] + (f" ({', '.join(flags)})" if flags else "")
        details = [escape(_who(event))] + [f"{word} {escape(event[key])}" for key, word in
                                           (("place", "at"), ("date", "on"), ("reported_by", "told by"))
                                           if event.get(key)]
        console.print(f"[bold]event[/] {head} {', '.join(details)}: "
                      f"{escape((event.get('evidence') or {}).get('text') or '')}", highlight=False)
    if len(events[:limit]) < len(events):
        console.print(f"[dim]... {len(events) - len(events[:limit])} more event(s)[/]")


EVIDENCE_CHARS = 100  # of an evidence sentence in a table row: a line of a wide terminal


def print_events(console: Console, found: dict[str, Any], db: str, filtered: bool) -> None:
    """Print merged events as a table: when, type, who to whom, where, reports, flags and evidence."""
    if not found["items"]:
        console.print(no_events_note(db, filtered), highlight=False, soft_wrap=True)
        return
    # Two lines a row keep the table readable at 80 columns: the date over the first report's
    # day, the type over its flags.
    table = Table(title=f"{found['total']} event(s)", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("date\n[dim]reported[/]", no_wrap=True)
    table.add_column("type", no_wrap=True)
    table.add_column("reports\n[dim]outlets[/]", no_wrap=True, justify="right")
    for column in ("actor → target", "place", "evidence"):
        table.add_column(column, ratio=2 if column == "evidence" else 1)
    for event in found["items"]:
        evidence = (event.get("sources") or [{}])[0].get("evidence")
        table.add_row(f"{event.get('date') or '—'}\n[dim]{event.get('first_reported') or '—'}[/]",
                      "\n".join([event["type"], *(f"[yellow]{flag}[/]" for flag in event_flags(event))]),
                      _report_counts(event), escape(_who(event)), escape(event.get("place") or ""),
                      escape(shorten(evidence)))
    console.print(table)
    if found["total"] > len(found["items"]):
        console.print(f"[dim]showing {len(found['items'])} of {found['total']}: --limit for more[/]")


def print_duplicates(console: Console, found: dict[str, Any], db: str) -> None:
    """Print duplicate groups: kind, agency, outlets and copies, then each copy's relation, site and title."""
    if not found["items"]:
        console.print(f"no duplicate groups in {db}: the corpus passes find them at ingest (or `veille rebuild`)",
                      highlight=False, soft_wrap=True)
        return
    console.print(f"{found['total']} group(s) of copies", highlight=False)
    for group in found["items"]:
        agency = f" · {escape(group['agency'])}" if group.get("agency") else ""
        console.print(f"\n[bold]{group['kind']}[/]{agency} · {group['copies']} copies, "
                      f"{group['independent_sources']} outlet(s) · {escape(group.get('title') or '')}")
        for member in group["members"]:
            console.print(f"  {member['relation']:<14} {member['similarity']:.2f}  {member['published'] or '—'}  "
                          f"{escape(member.get('site') or member.get('source') or '')}  [dim]{member['id'][:12]}[/]",
                          highlight=False)
    if found["total"] > len(found["items"]):
        console.print(f"[dim]showing {len(found['items'])} of {found['total']}: --limit for more[/]")


def no_events_note(db: str, filtered: bool) -> str:
    """Return the line that says a list of events is empty, and why it may be."""
    if filtered:
        return f"no events match these filters in {db}"
    return f"no events in {db}: events are found when articles are annotated at ingest"


def print_entity(console: Console, entity: dict[str, Any], limit: int = 10) -> None:
    """Print one entity across articles: names, roles with dates, quotes, events, mentions per day, neighbours."""
    console.print(f"[bold]{escape(entity['name'] or '')}[/] ({entity['type']}) · {entity['articles']} article(s), "
                  f"{entity['mentions']} mention(s) · [dim]{entity['id']}[/]", highlight=False)
    names = ", ".join(f"{escape(v['text'])} ({v['count']})" for v in entity["variants"][:limit])
    console.print(f"\n[bold]names[/] {names or '—'}", highlight=False)
    if entity["roles"]:
        console.print("\n[bold]roles[/]")
    for role in entity["roles"][:limit]:
        days = role["first"] if role["first"] == role["last"] else f"{role['first']} – {role['last']}"
        console.print(f"  {escape(role['role'])}  [dim]{days or 'undated'}, {role['articles']} article(s)[/]",
                      highlight=False)
    _print_entity_quotes(console, entity["quotes"][:limit])
    _print_entity_events(console, entity["events"][:limit])
    print_timeline(console, entity["timeline"])
    neighbours = ", ".join(f"{escape(n['name'] or '')} ({n['articles']})" for n in entity["cooccurring"][:limit])
    console.print(f"\n[bold]named with[/] {neighbours or '—'}", highlight=False)


def _print_entity_quotes(console: Console, quotes: list[dict[str, Any]]) -> None:
    """Print an entity's quotes, one line each with where and when."""
    if quotes:
        console.print("\n[bold]quotes[/]")
    for quote in quotes:
        console.print(f"  « {escape(shorten(quote['text']))} »  [dim]{escape(quote.get('site') or '')} "
                      f"{quote.get('published') or ''}[/]", highlight=False)


def _print_entity_events(console: Console, events: list[dict[str, Any]]) -> None:
    """Print the events an entity is the actor or target of, one line each."""
    if events:
        console.print("\n[bold]events[/]")
    for event in events:
        flags = "".join(f" [yellow]{flag}[/]" for flag in event_flags(event))
        console.print(f"  {event.get('date') or event.get('first_reported') or '—'}  {event['type']}{flags}  "
                      f"{escape(_who(event))}", highlight=False)


TIMELINE_WIDTH = 40  # characters of the longest bar: fits beside a date on an 80-column terminal


def print_timeline(console: Console, days: list[dict[str, Any]]) -> None:
    """Print mentions per day as a bar chart, one line a day."""
    if not days:
        return
    console.print("\n[bold]mentions per day[/]")
    most = max(day["mentions"] for day in days) or 1
    for day in days:
        bar = "█" * max(1, round(day["mentions"] * TIMELINE_WIDTH / most))
        console.print(f"  {day['day']}  [cyan]{bar}[/] {day['mentions']}", highlight=False)


def event_flags(event: dict[str, Any]) -> list[str]:
    """Return an event's flags: "not" when stated as not having happened, "possible" when only possible."""
    return [flag for flag, on in (("not", event.get("negated")), ("possible", event.get("hypothetical"))) if on]


def _report_counts(event: dict[str, Any]) -> str:
    """Format how often an event was reported over how many outlets, copies of one wire story once."""
    independent = event.get("independent_reports", event["reports"])
    copies = f" [dim]({independent} indep.)[/]" if independent != event["reports"] else ""
    return f"{event['reports']}{copies}\n[dim]{event.get('outlets', '')}[/]"


def print_stories(console: Console, found: dict[str, Any], db: str) -> None:
    """Print stories as a table: story, title, languages, sites, dates and articles, largest first."""
    if not found["items"]:
        console.print(f"no stories in {db}: the corpus passes find them at ingest (or `veille rebuild`)",
                      highlight=False, soft_wrap=True)
        return
    table = Table(title=f"{found['total']} story(ies)", title_justify="left", box=box.SIMPLE_HEAD)
    # The story's first and last days on two lines, and its sites counted (`--json` lists them),
    # keep the table readable at 80 columns.
    for column in ("story", "title", "languages", "sites", "dates", "articles"):
        table.add_column(column, no_wrap=column != "title", justify="right" if column in ("sites", "articles") else "left")
    for story in found["items"]:
        dates = story["first"] if story["first"] == story["last"] else f"{story['first']}\n{story['last']}"
        table.add_row(story["id"][:8], escape(story.get("title") or ""), ", ".join(lang or "?" for lang in story["languages"]),
                      str(len(story["sites"])), dates or "—", str(story["articles"]))
    console.print(table)
    if found["total"] > len(found["items"]):
        console.print(f"[dim]showing {len(found['items'])} of {found['total']}: --limit for more[/]")


def _who(event: dict[str, Any]) -> str:
    """Format an event's sides as 'actor → target' ('?' for an unknown actor, no arrow without a target)."""
    actor = event.get("actor") or "?"
    return f"{actor} → {event['target']}" if event.get("target") else actor


def shorten(text: str | None, width: int = EVIDENCE_CHARS) -> str:
    """Return text on one line, cut at a word with "…" when longer than width."""
    line = " ".join((text or "").split())
    if len(line) <= width:
        return line
    return line[:width - 1].rsplit(" ", 1)[0] + "…"


def _entity_line(entity: dict[str, Any]) -> str:
    """Format an entity as 'Name (role, role) ×mentions'."""
    roles = f" ({', '.join(entity['roles'])})" if entity.get("roles") else ""
    count = len(entity.get("mentions") or [])
    return f"{entity['name']}{roles}" + (f" ×{count}" if count > 1 else "")


def _pairs(counts: dict[str, int]) -> str:
    """Format {name: count} as 'name n, name n'."""
    return ", ".join(f"{name} {n}" for name, n in counts.items())
