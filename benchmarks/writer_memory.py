"""Memory of the store writer as the store grows: the same new articles written into stores of several sizes.

Run as `python -m benchmarks.writer_memory [--sizes 10000 40000 100000] [--added 1000] [--blob-kb 40]`.
Each size's synthetic store (benchmarks/synthetic.py, cached like the corpus benchmark's) is
copied, and one day of `added` new articles is written into the copy through
`StoreWriter.write_batch` in batches of 64, in a fresh child process whose resident memory
is sampled every 10 ms: the peak while batches are written and the peak while the writer
reopens its connection (its checkpoint) are kept apart. `--blob-kb` gives each new page that
many KB of incompressible bytes, as a gzipped HTML page is (a real ingest's pages hold about
40 KB each). If the peaks grow with the store's size, what grows is in the store, not in the
pages in flight. Never asserted.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks import synthetic
from benchmarks.common import save_report
from benchmarks.corpus import base_store
from benchmarks.memory import rss_mb
from veille.records import Page
from veille.store import writer as store_writer

RESULTS = Path(__file__).resolve().parent / "results"
CACHE = Path(tempfile.gettempdir()) / "veille-bench-cache"
BATCH = 64  # the ingest's default batch (veille.limits.DEFAULT_BATCH)
SAMPLE_SECONDS = 0.01


class PeakSampler:
    """Sample this process's resident memory in a thread; keep the peak of the current phase."""

    def __init__(self):
        self.peak = 0
        self._lock = threading.Lock()  # a sample must not carry the last phase's peak into the next
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def take(self) -> int:
        """Return the peak since the last take (at least the memory now) and start a new phase."""
        with self._lock:
            peak, self.peak = max(self.peak, rss_mb(os.getpid())), 0
        return peak

    def stop(self) -> None:
        """Stop sampling."""
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        """Raise the peak every SAMPLE_SECONDS."""
        while not self._stop.wait(SAMPLE_SECONDS):
            with self._lock:
                self.peak = max(self.peak, rss_mb(os.getpid()))


def new_articles(added: int, blob_kb: int) -> list[tuple]:
    """Return one new day of synthetic (page, article) pairs, each page given blob_kb KB of random bytes."""
    rng = random.Random(f"{synthetic.SEED}:blobs")
    pairs = []
    for _, page, found in synthetic.Day(added, synthetic.DAYS + 7, synthetic.SEED).articles():
        if blob_kb:
            content = page.content.encode("utf-8") + rng.randbytes(blob_kb * 1024)
            page = Page(source=page.source, content=content, format=page.format, url=page.url, site=page.site,
                        published=page.published)
            found.id = page.id
        pairs.append((page, found))
    return pairs


def write_measured(db: str, pairs: list[tuple]) -> dict:
    """Write pairs into the store in batches, timing each reopen and keeping the peaks of each phase apart."""
    reopens: list[dict] = []
    sampler = PeakSampler()
    writes: list[int] = []
    original = store_writer.StoreWriter._reopen

    def timed_reopen(self) -> None:
        writes.append(sampler.take())
        started = time.process_time()
        original(self)
        reopens.append({"cpu_s": round(time.process_time() - started, 3), "peak_mb": sampler.take()})

    store_writer.StoreWriter._reopen = timed_reopen
    opened = sampler.take()
    with store_writer.StoreWriter(db) as writer:
        for start in range(0, len(pairs), BATCH):
            writer.write_batch(pairs[start:start + BATCH])
    closed = sampler.take()
    sampler.stop()
    return {"open_mb": opened, "write_peaks_mb": writes, "reopens": reopens, "close_peak_mb": closed,
            "hwm_mb": _status_mb("VmHWM")}


def _status_mb(field: str) -> int:
    """Return one /proc/self/status memory field in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) // 1024
    return 0


def child(db: str, added: int, blob_kb: int, row_group: int, reopen_pages: int) -> None:
    """Make the new articles, write them into db and print the figures as JSON (run in a fresh process)."""
    store_writer.ROW_GROUP_ROWS, store_writer.REOPEN_PAGES = row_group, reopen_pages
    pairs = new_articles(added, blob_kb)
    figure = write_measured(db, pairs)
    print(json.dumps(figure))


def run_size(size: int, added: int, blob_kb: int, setting: tuple[int, int], console: Console, env: dict) -> dict:
    """Copy the store of one size, write the new articles into the copy in a child process; return the figures."""
    with tempfile.TemporaryDirectory(prefix="veille-bench-writer-") as scratch:
        made, _ = base_store(size, CACHE, Path(scratch), console)
        work = Path(scratch) / "work.duckdb"
        shutil.copyfile(made, work)
        command = [sys.executable, "-m", "benchmarks.writer_memory", "--child", str(work), "--added", str(added),
                   "--blob-kb", str(blob_kb),
                   "--row-group", str(setting[0]), "--reopen-pages", str(setting[1])]
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"writing into the {size}-article store failed: {done.stderr[-2000:]}")
        figure = json.loads(done.stdout.splitlines()[-1])
        return {"articles": size, "row_group": setting[0], "reopen_pages": setting[1],
                "store_mb": round(work.stat().st_size / 2**20), **figure}


def summary(figure: dict) -> list[str]:
    """Return one table row: the store, the peaks while writing and while reopening, the reopens' CPU time."""
    reopens = figure["reopens"]
    peaks = [r["peak_mb"] for r in reopens] or [0]
    cpu = sorted(r["cpu_s"] for r in reopens) or [0]
    return [str(figure["articles"]), str(figure["row_group"]), str(figure["reopen_pages"]), str(figure["store_mb"]), str(figure["open_mb"]),
            str(max(figure["write_peaks_mb"] or [0])), f"{min(peaks)}–{max(peaks)}", str(figure["hwm_mb"]),
            f"{cpu[len(cpu) // 2]:.2f}"]


def print_figures(console: Console, figures: list[dict], title: str) -> None:
    """Print one row per store size."""
    table = Table(title=title)
    for header in ("articles", "row group", "reopen every", "store MB", "opened MB", "write peak MB", "reopen peaks MB", "VmHWM MB",
                   "reopen CPU s (median)"):
        table.add_column(header, justify="right")
    for figure in figures:
        table.add_row(*summary(figure))
    console.print(table)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the writer memory benchmark."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.writer_memory", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 40000, 100000], help="stored articles")
    parser.add_argument("--added", type=int, default=1000, help="new articles written into each store")
    parser.add_argument("--blob-kb", type=int, default=0, help="KB of incompressible bytes added to each new page")
    parser.add_argument("--row-group", type=int, nargs="+", default=[store_writer.ROW_GROUP_ROWS],
                        help="rows per row group of the writer's connection (each value measured in turn)")
    parser.add_argument("--reopen-pages", type=int, default=store_writer.REOPEN_PAGES,
                        help="results written between two reopens of the writer")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for the JSON figures")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.added, args.blob_kb, args.row_group[0], args.reopen_pages)
        return 0
    console = Console(width=120)
    figures = []
    for size in args.sizes:
        for row_group in args.row_group:  # interleaved: the settings of one size run back to back
            setting = (row_group, args.reopen_pages)
            figures.append(run_size(size, args.added, args.blob_kb, setting, console, dict(os.environ)))
            print_figures(console, figures[-1:], f"writer memory, {args.added} new articles, {args.blob_kb} KB blobs")
    print_figures(console, figures, f"writer memory, {args.added} new articles, {args.blob_kb} KB blobs")
    save_report(console, args.out, "writer_memory", added=args.added, blob_kb=args.blob_kb, figures=figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
