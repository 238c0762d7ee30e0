"""The `veille` command line: extract, ingest, rebuild, show, stats, export, search, events, duplicates, stories, entity, serve."""
from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.exceptions import TyperException
from rich.console import Console

from veille import display
from veille.errors import StrictModeError, UsageError, VeilleError
from veille.limits import DEFAULT_BATCH, DEFAULT_DB, DEFAULT_MAX_BYTES

app = typer.Typer(help="veille: turn raw news pages into a searchable, evidence-backed record.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
err = Console(stderr=True)

DbOption = Annotated[str, typer.Option("--db", help="The DuckDB store file.")]
PublishedOption = Annotated[Optional[str], typer.Option(
    "--published", help="Publication date (YYYY-MM-DD) for pages that do not state theirs.")]


class PageFormat(str, Enum):
    """How to read a page: detected from content, or forced."""

    auto = "auto"
    dump = "dump"
    html = "html"
    article = "article"


class Engine(str, Enum):
    """Where the per-page stages run."""

    local = "local"
    ray = "ray"


class ExportWhat(str, Enum):
    """The tables `veille export` writes."""

    articles = "articles"
    rejects = "rejects"


class ExportFormat(str, Enum):
    """The file formats `veille export` writes."""

    jsonl = "jsonl"
    parquet = "parquet"
    csv = "csv"


@app.command()
def extract(
    files: Annotated[list[str], typer.Argument(help="Files to read ('-' for stdin).")],
    published: PublishedOption = None,
    url: Annotated[Optional[str], typer.Option("--url", help="URL of the page(s).")] = None,
    as_format: Annotated[PageFormat, typer.Option("--as", help="Page format; 'article' keeps every line.")] = PageFormat.auto,
) -> None:
    """Run the per-page pipeline without a store and print one JSON object per page (JSON Lines)."""
    from veille.pipeline import process_page
    from veille.records import Reject
    from veille.sources import SourceOptions, read_pages

    options = SourceOptions(as_format=as_format.value, url=url, published=_date(published))
    for item in read_pages(files, options):
        result = item if isinstance(item, Reject) else process_page(item)
        print(json.dumps(display.extract_record(result), ensure_ascii=False), flush=True)


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, directories (recursive), globs, or '-' for stdin.")],
    db: DbOption = DEFAULT_DB,
    published: PublishedOption = None,
    site: Annotated[Optional[str], typer.Option("--site", help="Site name for pages whose URL is unknown.")] = None,
    as_format: Annotated[PageFormat, typer.Option("--as", help="Page format of non-HTML text.")] = PageFormat.auto,
    workers: Annotated[Optional[int], typer.Option("--workers", help="Worker processes (default: the cores).")] = None,
    engine: Annotated[Engine, typer.Option("--engine", help="Where the stages run.")] = Engine.local,
    address: Annotated[Optional[str], typer.Option(
        "--address", help="Ray cluster to use with --engine ray (default: start one on this machine).")] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", help="Pages per committed transaction.")] = DEFAULT_BATCH,
    max_bytes: Annotated[int, typer.Option("--max-bytes", help="Largest page accepted, in bytes.")] = DEFAULT_MAX_BYTES,
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 5) if any page is rejected.")] = False,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show a progress bar.")] = True,
    corpus: Annotated[bool, typer.Option(
        "--corpus/--no-corpus",
        help="Update duplicates, stories, names and merged events after storing (`veille rebuild` does it later).")] = True,
) -> None:
    """Read pages, clean them and store them, then update the corpus passes; re-running the same input adds nothing."""
    from veille.ingest import ingest as run_ingest
    from veille.sources import SourceOptions

    if address and engine is not Engine.ray:
        raise UsageError("--address is for the Ray engine: add --engine ray")
    options = SourceOptions(as_format=as_format.value, published=_date(published), site=site, max_bytes=max_bytes)
    with display.IngestProgress(err, enabled=progress) as bar, \
            display.CorpusProgress(err, enabled=progress) as corpus_bar:
        report = run_ingest(paths, db, options, workers=workers, batch_size=batch_size, on_batch=bar.advance,
                            engine=engine.value, address=address, corpus=corpus, on_corpus=corpus_bar.advance)
    display.print_ingest_report(err, report, db)
    display.print_corpus_report(err, report.corpus)
    if strict and report.rejects:
        raise StrictModeError(f"{report.rejects} page(s) rejected and --strict is set; "
                              f"see `veille export --what rejects --db {db}`")
    if report.rejects and not report.articles and not report.skipped:
        raise VeilleError(f"nothing stored: all {report.rejects} page(s) were rejected")


@app.command()
def rebuild(
    db: DbOption = DEFAULT_DB,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show a progress bar.")] = True,
) -> None:
    """Run the corpus passes again over the whole store: duplicates, syndication, names, stories, merged events."""
    from veille.corpus import rebuild as rebuild_corpus
    from veille.store.connect import require_store
    from veille.store.writer import StoreWriter

    require_store(db)
    with StoreWriter(db) as writer, display.CorpusProgress(err, enabled=progress) as bar:
        report = rebuild_corpus(writer.con, progress=bar.advance)
    display.print_corpus_report(err, report)


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(help="Article id (or a unique prefix of 6+ characters).")],
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show one stored article: metadata, paragraphs and what the cleaner removed."""
    from veille.store import queries
    from veille.store.connect import open_store

    with open_store(db, read_only=True) as con:
        found = queries.article(con, article_id)
    if found is None:
        raise UsageError(f"no article with id {article_id!r} in {db}")
    if as_json:
        print(json.dumps(found, ensure_ascii=False, default=str))
    else:
        display.print_article(Console(), found)
        display.print_corpus_context(Console(), found)


@app.command()
def stats(
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    examples: Annotated[int, typer.Option("--examples", help="Also show this many example articles.")] = 0,
) -> None:
    """Count what the store holds: pages, articles, rejects, languages, sites, learned boilerplate."""
    from veille.store import queries
    from veille.store.connect import open_store

    with open_store(db, read_only=True) as con:
        counts = queries.stats(con)
        if as_json:
            print(json.dumps(counts, ensure_ascii=False))
            return
        samples = queries.example_articles(con, examples) if examples else []
        latest_rejects = queries.rejects(con, 10)
    console = Console()
    display.print_stats(console, counts, latest_rejects, db)
    for sample in samples:
        display.print_article(console, sample, max_paragraphs=2)


@app.command()
def export(
    db: DbOption = DEFAULT_DB,
    what: Annotated[ExportWhat, typer.Option("--what", help="What to export.")] = ExportWhat.articles,
    fmt: Annotated[ExportFormat, typer.Option("--format", help="Output format.")] = ExportFormat.jsonl,
    out: Annotated[Optional[Path], typer.Option("--out", help="Output file (default: stdout, not for parquet).")] = None,
) -> None:
    """Export the stored articles or rejects as JSON Lines, Parquet or CSV."""
    from veille.store.connect import open_store
    from veille.store.export import export_table

    if out is None and fmt is ExportFormat.parquet:
        raise UsageError("Parquet is binary: pass --out FILE.parquet")
    with open_store(db, read_only=True) as con:
        export_table(con, what.value, fmt.value, str(out) if out else None)


@app.command()
def search(
    words: Annotated[Optional[str], typer.Argument(help="Words to search (tantivy syntax: \"a phrase\", -word).")] = None,
    db: DbOption = DEFAULT_DB,
    lang: Annotated[Optional[str], typer.Option("--lang", help="Only articles in this language.")] = None,
    site: Annotated[Optional[str], typer.Option("--site", help="Only articles from this site.")] = None,
    date_from: Annotated[Optional[str], typer.Option("--from", help="Published on or after (YYYY[-MM[-DD]]).")] = None,
    date_to: Annotated[Optional[str], typer.Option("--to", help="Published on or before (YYYY[-MM[-DD]]).")] = None,
    entity: Annotated[Optional[str], typer.Option("--entity", help="Only articles naming this entity (name or id).")] = None,
    has_quotes: Annotated[Optional[bool], typer.Option("--quotes/--no-quotes", help="Only articles with (or without) quotes.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="Results to show.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per result.")] = False,
) -> None:
    """Search the stored articles (BM25 over title and text) with filters; best first."""
    from veille.store.reader import Store

    for name, value in (("--from", date_from), ("--to", date_to)):
        _partial_date(name, value)
    with Store(db) as store:
        found = store.search(words, lang=lang, site=site, date_from=date_from, date_to=date_to, entity=entity,
                             has_quotes=has_quotes, limit=limit)
    if as_json:
        for item in found["items"]:
            print(json.dumps(item, ensure_ascii=False))
        return
    _print_search(Console(), found)


def _print_search(console: Console, found: dict) -> None:
    """Print search results: total, then each hit's title, site, date, id and snippet."""
    from rich.markup import escape
    from rich.text import Text

    console.print(f"{found['total']} result(s)", highlight=False)
    for hit in found["items"]:
        console.print(f"\n[bold]{escape(hit['title'] or '')}[/]  [dim]{escape(hit['site'] or '')} · "
                      f"{hit['published'] or ''} · {hit['id']}[/]", highlight=False)
        snippet = Text(hit["snippet"]["text"])
        for start, end in hit["snippet"]["highlights"]:
            snippet.stylize("bold yellow", start, end)
        console.print(snippet)


@app.command()
def events(
    db: DbOption = DEFAULT_DB,
    event_type: Annotated[Optional[str], typer.Option(
        "--type", help="Only events of this PLOVER type (AGREE, ASSAULT, ...).")] = None,
    actor: Annotated[Optional[str], typer.Option("--actor", help="Only events done by this entity (name or id).")] = None,
    target: Annotated[Optional[str], typer.Option("--target", help="Only events done to this entity (name or id).")] = None,
    date_from: Annotated[Optional[str], typer.Option(
        "--from", help="On or after (YYYY[-MM[-DD]]): the event's own date, else its first report's.")] = None,
    date_to: Annotated[Optional[str], typer.Option(
        "--to", help="On or before (YYYY[-MM[-DD]]): the event's own date, else its first report's.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="Events to show.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per event.")] = False,
) -> None:
    """List the stored events, merged across the articles that report them; latest first."""
    from veille.store import queries
    from veille.store.connect import open_store

    kind = _event_type(event_type)
    for name, value in (("--from", date_from), ("--to", date_to)):
        _partial_date(name, value)
    if limit < 1:
        raise UsageError(f"--limit {limit} shows nothing; give 1 or more")
    with open_store(db, read_only=True) as con:
        found = queries.events(con, type=kind, actor=actor, target=target, date_from=date_from, date_to=date_to,
                               limit=limit)
    filtered = any(value is not None for value in (kind, actor, target, date_from, date_to))
    if as_json:
        for item in found["items"]:
            print(json.dumps(item, ensure_ascii=False, default=str))
        if not found["total"]:
            err.print(display.no_events_note(db, filtered), highlight=False, soft_wrap=True)
        return
    display.print_events(Console(), found, db, filtered)


class DuplicateKind(str, Enum):
    """The kinds of duplicate groups."""

    exact = "exact"
    near = "near"
    syndication = "syndication"


@app.command()
def duplicates(
    db: DbOption = DEFAULT_DB,
    kind: Annotated[Optional[DuplicateKind], typer.Option("--kind", help="Only groups of this kind.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="Groups to show.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per group.")] = False,
) -> None:
    """List the groups of copies: exact duplicates, near duplicates and wire stories syndicated across outlets."""
    from veille.store import queries
    from veille.store.connect import open_store

    if limit < 1:
        raise UsageError(f"--limit {limit} shows nothing; give 1 or more")
    with open_store(db, read_only=True) as con:
        found = queries.duplicates(con, kind=kind and kind.value, limit=limit)
    if as_json:
        for item in found["items"]:
            print(json.dumps(item, ensure_ascii=False, default=str))
        return
    display.print_duplicates(Console(), found, db)


def _event_type(value: str | None) -> str | None:
    """Check an event type given on the command line against the PLOVER types; return it in capitals."""
    from veille.nlp.event_lexicon import event_types

    if value is None or value.upper() in event_types():
        return value and value.upper()
    raise UsageError(f"--type {value!r} is not an event type; use one of {', '.join(sorted(event_types()))}")


@app.command()
def stories(
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option("--limit", help="Stories to show.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per story.")] = False,
) -> None:
    """List the stories: articles about one happening across outlets and languages, largest first."""
    from veille.store import queries
    from veille.store.connect import open_store

    if limit < 1:
        raise UsageError(f"--limit {limit} shows nothing; give 1 or more")
    with open_store(db, read_only=True) as con:
        found = queries.stories(con, limit=limit)
    if as_json:
        for item in found["items"]:
            print(json.dumps({"story": item.pop("id"), **item}, ensure_ascii=False, default=str))
        return
    display.print_stories(Console(), found, db)


@app.command()
def entity(
    name: Annotated[str, typer.Argument(help="The entity's name (any spelling seen) or id.")],
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show one entity across articles: names, roles with dates, quotes, events, mentions per day, neighbours."""
    from veille.store import queries
    from veille.store.connect import open_store

    with open_store(db, read_only=True) as con:
        found = queries.entity(con, name)
        near = [] if found else queries.entities(con, q=name, limit=5)["items"]
    if found is None:
        hint = f"; did you mean {', '.join(repr(item['name']) for item in near)}?" if near else ""
        raise UsageError(f"no entity named {name!r} in {db}{hint}")
    if as_json:
        print(json.dumps(found, ensure_ascii=False, default=str))
    else:
        display.print_entity(Console(), found)


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option("--host", help="Address to listen on; off loopback a token is required.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    token: Annotated[Optional[str], typer.Option("--token", envvar="VEILLE_TOKEN", show_envvar=True,
                                                 help="Token clients send as Authorization: Bearer TOKEN.")] = None,
    cors: Annotated[Optional[list[str]], typer.Option("--cors-origin", help="Allow this web origin to read the API (repeatable).")] = None,
) -> None:
    """Serve the HTTP API and the web UI over a store (read through a snapshot, so ingest can run beside)."""
    import uvicorn

    from veille.api import create_app
    from veille.store.reader import Store

    if not _is_loopback(host) and not token:
        raise UsageError(f"--host {host} is reachable from other machines: pass --token TOKEN (or set VEILLE_TOKEN)")
    app = create_app(db, token=token, cors_origins=cors)
    with Store(db, snapshot=True) as probe:  # fail now, with the store's own message, not at the first request
        probe.stats()
    err.print(f"veille: serving {db} on http://{_url_host(host)}:{port}/ (Ctrl-C stops)", highlight=False)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)


def _is_loopback(host: str) -> bool:
    """Say whether an address only reaches this machine."""
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url_host(host: str) -> str:
    """Return a host as it is written in a URL."""
    return f"[{host}]" if ":" in host else host


def _partial_date(option: str, value: str | None) -> None:
    """Check a YYYY, YYYY-MM or YYYY-MM-DD date given on the command line."""
    import re

    if value is not None and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        raise UsageError(f"{option} {value!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD")


def _date(value: str | None) -> str | None:
    """Check a YYYY-MM-DD date given on the command line."""
    from datetime import date

    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise UsageError(f"--published {value!r} is not a date; use YYYY-MM-DD") from None


def main(argv: list[str] | None = None) -> None:
    """Run the command line, turning a VeilleError into its message and exit code."""
    try:
        app(args=argv, prog_name="veille", standalone_mode=False)
    except VeilleError as error:
        err.print(f"[bold red]error:[/] {error}", highlight=False, soft_wrap=True)
        sys.exit(error.exit_code)
    except typer.Abort:
        err.print("aborted")
        sys.exit(130)
    except TyperException as error:  # bad arguments: the parser says which
        if hasattr(error, "show"):
            error.show()
        else:
            err.print(f"error: {error.format_message()}", highlight=False, soft_wrap=True)
        sys.exit(error.exit_code)
    except typer.Exit as exit_:
        sys.exit(exit_.exit_code)
