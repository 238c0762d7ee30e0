"""Ingest: read sources, run the per-page pipeline on an engine, commit each batch to the store."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING

from veille.clean.boilerplate import remove_known
from veille.corpus import run_passes
from veille.corpus.passes import Progress
from veille.engines.local import LocalEngine
from veille.limits import DEFAULT_BATCH
from veille.pipeline import process_pages, site_of
from veille.records import Article, Page, Reject
from veille.sources import SourceOptions, read_pages
from veille.store.writer import IngestReport, StoreWriter

if TYPE_CHECKING:
    from veille.engines.ray import RayEngine

__all__ = ["IngestReport", "ingest", "ingest_on_ray"]



def ingest(paths: list[str], db: str, options: SourceOptions = SourceOptions(), *,
           workers: int | None = None, batch_size: int = DEFAULT_BATCH,
           on_batch: Callable[[IngestReport], None] | None = None,
           engine: str = "local", address: str | None = None, corpus: bool = True,
           on_corpus: Progress | None = None) -> IngestReport:
    """Ingest every page under paths into the store at db, then update the corpus passes; return the counts."""
    if engine == "ray":
        return ingest_on_ray(paths, db, options, cpus=workers, address=address, batch_size=batch_size,
                             on_batch=on_batch, corpus=corpus, on_corpus=on_corpus)
    report = IngestReport()
    engine = LocalEngine(workers)
    with StoreWriter(db) as writer:
        batches = _prepared_batches(read_pages(paths, options), writer, batch_size, report)
        for batch, results in engine.map_batches(_process_items, batches):
            results = [_without_known_lines(result, writer) for result in results]
            report.add(writer.write_batch(list(zip(_pages_or_none(batch), results))))
            if on_batch:
                on_batch(report)
        if corpus:
            report.corpus = run_passes(writer.con, progress=on_corpus)
    return report


def ingest_on_ray(paths: list[str], db: str, options: SourceOptions = SourceOptions(), *,
                  cpus: int | None = None, address: str | None = None, batch_size: int = DEFAULT_BATCH,
                  on_batch: Callable[[IngestReport], None] | None = None,
                  engine: RayEngine | None = None, corpus: bool = True,
                  on_corpus: Progress | None = None) -> IngestReport:
    """Run the pipeline on Ray (Parquet shards beside the store), load the shards, then update the corpus passes."""
    from veille.engines.ray import RayEngine

    engine = engine or RayEngine(shard_folder(db), address=address, cpus=cpus)
    report = IngestReport()
    with StoreWriter(db) as writer:
        # The workers cannot read the store: they get the boilerplate learned before the run,
        # and lines learned during it are dropped here, as for the local engine's results.
        for batch in engine.results(paths, options, writer.all_learned_boilerplate(), batch_size):
            batch = [(page, _without_known_lines(result, writer)) for page, result in batch]
            report.add(writer.write_batch(batch))
            if on_batch:
                on_batch(report)
        if corpus:
            report.corpus = run_passes(writer.con, progress=on_corpus)
    return report


def shard_folder(db: str) -> str:
    """Return the folder of a store's Ray shards: beside the store file."""
    return f"{db}.shards"


def _prepared_batches(items: Iterable[Page | Reject], writer: StoreWriter, size: int,
                      report: IngestReport) -> Iterator[list]:
    """Yield batches of items, leaving out stored pages and telling each dump its site's boilerplate."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        stored = writer.stored_ids(item.id for item in chunk if isinstance(item, Page))
        batch = [item for item in chunk if not (isinstance(item, Page) and item.id in stored)]
        report.skipped += len(chunk) - len(batch)
        writer.record_copies(item for item in chunk if isinstance(item, Page) and item.id in stored)
        for page in batch:
            # Workers drop the lines learned for the page's site before annotating (the dump
            # cleaner also reads them as a feature); a site found only inside the page is
            # handled when the article comes back (_without_known_lines).
            if isinstance(page, Page) and page.format != "article":
                page.meta["boilerplate"] = writer.learned_boilerplate(page.site or site_of(page.url))
        yield batch


def _without_known_lines(result: Article | Reject, writer: StoreWriter) -> Article | Reject:
    """Drop the paragraphs learned as the article's site boilerplate (its site may be known only now)."""
    if isinstance(result, Article) and result.format != "article":
        remove_known(result, writer.learned_boilerplate(result.site))
    return result


def _process_items(items: list[Page | Reject]) -> list[Article | Reject]:
    """Run the pipeline on the pages of a batch together; a reject from the sources passes through."""
    pages = [item for item in items if isinstance(item, Page)]
    results = iter(process_pages(pages))
    return [item if isinstance(item, Reject) else next(results) for item in items]


def _pages_or_none(batch: list[Page | Reject]) -> list[Page | None]:
    """Return the page behind each item of a batch (None for a reject from the sources)."""
    return [item if isinstance(item, Page) else None for item in batch]
