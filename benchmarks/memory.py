"""Memory of a long ingest: peak resident memory of the main process and of each worker, by corpus size.

Run as `python -m benchmarks.memory [--pages 1000 10000] [--workers 2] [--no-models]`. The feed is
a JSON Lines file made of the benchmark HTML pages (the dev sets under ``<shared>/data/dev/``,
else the bundled samples) repeated with a marker, so that every copy is a new page. Each size
runs `veille ingest` in its own process tree, sampled every 0.2 s from /proc: the figure to
watch is whether the peaks stay flat as the corpus grows. Never asserted.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks.clean import find_inputs, read_all
from benchmarks.common import save_report
from veille.pipeline import page_text

RESULTS = Path(__file__).resolve().parent / "results"
SAMPLE_SECONDS = 0.2


def write_feed(path: Path, html_files: list[str], pages: int) -> int:
    """Write a JSON Lines feed of pages copies of the HTML files, each made unique; return its size."""
    bodies = [_read_html(name) for name in html_files]
    with open(path, "w", encoding="utf-8") as feed:
        for number in range(pages):
            html = bodies[number % len(bodies)] + f"\n<!-- copy {number} -->"
            feed.write(json.dumps({"url": f"https://bench{number % 40}.example/{number}", "html": html}) + "\n")
    return path.stat().st_size


def _read_html(name: str) -> str:
    """Return an HTML file's text (gunzipped when it ends in .gz)."""
    opener = gzip.open if name.endswith(".gz") else open
    with opener(name, "rt", encoding="utf-8", errors="replace") as handle:
        return handle.read()


class TreeSampler:
    """Sample the resident memory of a process and of its descendants until it ends."""

    def __init__(self, pid: int):
        self.pid = pid
        self.main_peak = 0
        self.worker_peak = 0
        self.total_peak = 0
        self.trace: list[tuple[float, int]] = []  # (seconds, main MB) at each sample
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> TreeSampler:
        """Start sampling in a thread."""
        self._thread.start()
        return self

    def join(self) -> None:
        """Wait for the last sample."""
        self._thread.join()

    def _run(self) -> None:
        """Take a sample every SAMPLE_SECONDS while the main process lives."""
        started = time.perf_counter()
        while os.path.exists(f"/proc/{self.pid}"):
            main, others = rss_mb(self.pid), [rss_mb(child) for child in descendants(self.pid)]
            self.main_peak = max(self.main_peak, main)
            self.worker_peak = max([self.worker_peak, *others])
            self.total_peak = max(self.total_peak, main + sum(others))
            self.trace.append((round(time.perf_counter() - started, 1), main))
            time.sleep(SAMPLE_SECONDS)


def rss_mb(pid: int) -> int:
    """Return a process's resident memory in MB (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 0


def descendants(pid: int) -> list[int]:
    """Return the ids of every process below pid."""
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        try:
            with open(f"/proc/{parent}/task/{parent}/children") as children:
                kids = [int(child) for child in children.read().split()]
        except OSError:
            kids = []
        found += kids
        todo += kids
    return found


def run_size(feed: Path, folder: Path, pages: int, workers: int, env: dict) -> dict:
    """Ingest a feed into a fresh store in a child process; return its time and memory peaks."""
    db = folder / f"bench-{pages}.duckdb"
    command = [sys.executable, "-m", "veille", "ingest", str(feed), "--db", str(db), "--workers", str(workers),
               "--no-progress"]
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = TreeSampler(process.pid).start()
    _, error = process.communicate()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"veille ingest failed on {pages} pages: {error.decode()[-2000:]}")
    return {"pages": pages, "feed_mb": round(feed.stat().st_size / 2**20), "seconds": round(time.perf_counter() - started, 1),
            "main_peak_mb": sampler.main_peak, "worker_peak_mb": sampler.worker_peak,
            "total_peak_mb": sampler.total_peak, "store_mb": round(db.stat().st_size / 2**20),
            "main_trace_mb": _thin(sampler.trace)}


def _thin(trace: list[tuple[float, int]], points: int = 40) -> list[tuple[float, int]]:
    """Keep about points samples of a trace, evenly spread."""
    step = max(1, len(trace) // points)
    return trace[::step]


def print_figures(console: Console, figures: list[dict]) -> None:
    """Print one row per corpus size."""
    table = Table(title="memory of a long ingest")
    for header in ("pages", "feed MB", "seconds", "main peak MB", "worker peak MB", "total peak MB", "store MB"):
        table.add_column(header, justify="right")
    for f in figures:
        table.add_row(*(str(f[key]) for key in ("pages", "feed_mb", "seconds", "main_peak_mb", "worker_peak_mb",
                                                "total_peak_mb", "store_mb")))
    console.print(table)
    for f in figures:
        if "over_limit" in f:
            console.print(f"{f['pages']} pages: {f['per_core']} pages/s per core, {f['over_limit']}× the limit, "
                          f"{f['over_plain']}× the plain script (each timed once on the distinct pages)")


def baselines(html_files: list[str]) -> dict:
    """Time the limit and the plain script once over the distinct pages the feed repeats (models on)."""
    from benchmarks.pipeline import clean_articles, plain_script, spacy_alone

    pages = read_all(html_files)
    articles = clean_articles(pages)
    spacy_alone(articles[:2])  # load the models outside the timing
    started = time.perf_counter()
    spacy_alone(articles)
    limit = len(articles) / (time.perf_counter() - started)
    htmls = [page_text(page) for page in pages]
    started = time.perf_counter()
    plain_script(htmls)
    return {"limit_per_s": round(limit, 3), "plain_per_s": round(len(htmls) / (time.perf_counter() - started), 3)}


def with_ratios(figure: dict, workers: int, base: dict) -> dict:
    """Add the ingest's pages/s per core, over the limit's and the plain script's (one core each)."""
    per_core = figure["pages"] / figure["seconds"] / workers
    return {**figure, "per_core": round(per_core, 3), "over_limit": round(per_core / base["limit_per_s"], 3),
            "over_plain": round(per_core / base["plain_per_s"], 3)}


def run(shared: Path, sizes: list[int], workers: int, console: Console, *, models: bool = True,
        out: Path | None = RESULTS) -> list[dict]:
    """Measure an ingest of each size, print the table and write the JSON figures."""
    inputs = find_inputs(shared)
    base = baselines(inputs.html) if models else None
    env = dict(os.environ)
    if not models:  # cleaning, language and the store alone: the spaCy models are set to none
        env.update(VEILLE_MODEL_FR="none", VEILLE_MODEL_EN="none")
    figures = []
    with tempfile.TemporaryDirectory(prefix="veille-bench-memory-") as folder:
        for size in sizes:
            feed = Path(folder) / "feed.jsonl"
            write_feed(feed, inputs.html, size)
            figure = run_size(feed, Path(folder), size, workers, env)
            figures.append(with_ratios(figure, workers, base) if base else figure)
            print_figures(console, figures[-1:])
            for stale in Path(folder).glob("bench-*"):
                stale.unlink()
    if out is not None:
        save_report(console, out, "memory", inputs=inputs.label, workers=workers, models=models, baselines=base,
                    figures=figures)
    return figures


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the memory benchmark."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.memory", description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"), help="folder holding data/dev/")
    parser.add_argument("--pages", type=int, nargs="+", default=[1000, 10000], help="corpus sizes")
    parser.add_argument("--workers", type=int, default=2, help="worker processes of the ingest")
    parser.add_argument("--no-models", dest="models", action="store_false",
                        help="turn the spaCy models off (clean, language and store only)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for the JSON figures")
    args = parser.parse_args(argv)
    run(args.shared, args.pages, args.workers, Console(width=110), models=args.models, out=args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
