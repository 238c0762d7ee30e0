"""Corpus passes at scale: each pass over a whole synthetic store, then one more day of 1,000 articles.

Run as `python -m benchmarks.corpus [--sizes 10000 100000] [--increments 3] [--cache DIR]`
(`make bench` runs it at 10,000 articles; `VEILLE_BENCH_CORPUS=10000,100000 make bench` at both).
For each size, benchmarks.synthetic writes a store through the one writer (timed apart: the
passes are what is measured), then every pass of veille.corpus.passes.PASSES runs over the
whole store, each in a process of its own, in the runner's order, so that its time and its
peak resident memory are its own. Then a day of 1,000 new articles is added and the passes
update, `--increments` times (the median is shown). Each pass's statements are timed too, and
the slowest are kept in the JSON, so that a pass whose cost grows with the store shows which
query grows. Figures are printed as a table and written to benchmarks/results/corpus-DATE.json;
never asserted.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks import synthetic
from benchmarks.common import machine_note, save_report
from veille.corpus import passes

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SIZES = [10_000]
SIZES_VARIABLE = "VEILLE_BENCH_CORPUS"  # e.g. "10000,100000": the sizes `make bench` runs
INCREMENT = 1000  # new articles per incremental update: one day of a mid-sized crawl
TOP_STATEMENTS = 5  # statements kept per pass and run, the slowest first
# Bump when the generator's output changes, so that a cached store is made again.
GENERATOR_VERSION = 1  # the stores are the same whether written or loaded


class TimedConnection:
    """A DuckDB connection that adds up the wall time of each distinct statement it runs."""

    def __init__(self, con):
        self._con = con
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    def execute(self, sql: str, *args, **kwargs):
        """Run a statement and count its time."""
        return self._timed("execute", sql, args, kwargs)

    def executemany(self, sql: str, *args, **kwargs):
        """Run a statement over many parameter rows and count its time."""
        return self._timed("executemany", sql, args, kwargs)

    def _timed(self, method: str, sql: str, args: tuple, kwargs: dict):
        """Call one of the connection's methods and add its time to its statement's."""
        started = time.perf_counter()
        try:
            return getattr(self._con, method)(sql, *args, **kwargs)
        finally:
            key = statement_key(sql)
            self.seconds[key] += time.perf_counter() - started
            self.calls[key] += 1

    def __getattr__(self, name: str):
        return getattr(self._con, name)

    def slowest(self, count: int = TOP_STATEMENTS) -> list[dict]:
        """Return the statements that took the most time, with their calls."""
        ranked = sorted(self.seconds.items(), key=lambda item: -item[1])[:count]
        return [{"sql": sql, "seconds": round(seconds, 4), "calls": self.calls[sql]} for sql, seconds in ranked]


def statement_key(sql: str) -> str:
    """Return a statement's text on one line, cut to 300 characters: the key its time is kept under."""
    return re.sub(r"\s+", " ", sql).strip()[:300]


def run_pass(db: str, name: str) -> dict:
    """Bring one pass up to date on a store; return its time, what it did and this process's memory."""
    from veille.corpus.passes import run_passes
    from veille.store.connect import open_store

    passes.PASSES = [name]  # this process runs one pass: the runner takes its list from here
    con = open_store(db)
    warmup = warm_up(con)
    before = current_rss_mb()
    timed = TimedConnection(con)
    # The end of each chunk, in wall and CPU time: a chunk's cost as the pass has seen more. CPU
    # time (all of DuckDB's threads included) moves far less than wall time with others' load.
    chunks: list[tuple[float, float]] = []
    started = (time.perf_counter(), time.process_time())
    report = run_passes(timed, progress=lambda *_: chunks.append((time.perf_counter(), time.process_time())))
    ended = (time.perf_counter(), time.process_time())
    seconds = ended[0] - started[0]
    con.close()
    [pass_name] = report.articles
    return {"pass": pass_name, "module": name, "seconds": round(seconds, 4),
            "articles": report.articles[pass_name], "changed": report.changed[pass_name],
            "warmup_s": round(warmup, 3), "rss_before_mb": round(before, 1), "peak_rss_mb": round(peak_rss_mb(), 1),
            "sql_s": round(sum(timed.seconds.values()), 4), "statements": timed.slowest(),
            "cpu_s": round(ended[1] - started[1], 4),
            "chunk_s": [round(end[0] - start[0], 3) for start, end in zip([started, *chunks], chunks)],
            "chunk_cpu_s": [round(end[1] - start[1], 3) for start, end in zip([started, *chunks], chunks)]}


def warm_up(con) -> float:
    """Bind a first parameter, outside the timing; return how long it took.

    DuckDB's client imports pandas on the first value it binds when pandas is installed (the
    Ray extra brings it): about 2 s and 115 MB (docs/performance.md), paid once by a process,
    so once by an ingest for all its passes, but by every pass here, each in its own process.
    """
    started = time.perf_counter()
    con.execute("SELECT ?", [0]).fetchall()
    return time.perf_counter() - started


def current_rss_mb() -> float:
    """Return this process's resident memory now, in MB (0 where /proc is missing)."""
    return _status_mb("VmRSS") or 0.0


def peak_rss_mb() -> float:
    """Return this process's peak resident memory in MB.

    From /proc's VmHWM: Linux carries ru_maxrss across exec, so a child's getrusage would
    report the parent's peak whenever that was higher (all passes showed the harness's 322 MB).
    """
    return _status_mb("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _status_mb(field: str) -> float | None:
    """Return a memory field of /proc/self/status in MB, or None where there is none."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def run_pass_apart(db: Path, name: str) -> dict:
    """Run one pass in a process of its own and return its figures."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-m", "benchmarks.corpus", "--pass-alone", name, str(db)],
                          cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the pass {name} failed on {db}:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_all_apart(db: Path, modules: list[str]) -> dict[str, dict]:
    """Run every pass in order, each in its own process, with the machine's load before it."""
    figures = {}
    for name in modules:
        load = os.getloadavg()[0]
        figure = run_pass_apart(db, name)
        figure["load_before"] = round(load, 2)
        figures[figure["pass"]] = figure
    return figures


def base_store(size: int, cache: Path | None, folder: Path, console: Console) -> tuple[Path, dict]:
    """Return a store of size synthetic articles (made, or taken from the cache) and how it was made."""
    name = f"corpus-{size}-seed{synthetic.SEED}-v{GENERATOR_VERSION}.duckdb"
    made = (cache or folder) / name
    info = {"cached": False}
    if cache is None or not made.exists():
        made.parent.mkdir(parents=True, exist_ok=True)
        partial = made.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        started = time.perf_counter()
        tally = synthetic.write_corpus(str(partial), size)
        info = {"cached": False, "build_s": round(time.perf_counter() - started, 1), "tally": tally.to_dict()}
        partial.rename(made)
        if cache is not None:
            made.with_suffix(".json").write_text(json.dumps(info), encoding="utf-8")
        console.print(f"{size} articles written in {info['build_s']:.0f} s: {info['tally']['kinds']}")
    else:
        info = {**json.loads(made.with_suffix(".json").read_text(encoding="utf-8")), "cached": True}
    return made, info


def run_size(size: int, modules: list[str], increments: int, added: int, cache: Path | None,
             console: Console, keep=lambda figure: None) -> dict:
    """Measure the passes on one store size: the whole store, then each added day of `added` articles."""
    with tempfile.TemporaryDirectory(prefix="veille-bench-corpus-") as scratch:
        folder = Path(scratch)
        made, info = base_store(size, cache, folder, console)
        work = folder / "work.duckdb"
        if made.parent == folder:
            made.rename(work)
        else:
            shutil.copyfile(made, work)
        console.print(f"{size} articles: the passes over the whole store")
        full = run_all_apart(work, modules)
        runs: list[dict] = []
        figure = {"articles": size, "store": info, "full": full, "incremental": {}, "incremental_runs": runs}
        keep(figure)
        for number in range(increments):
            started = time.perf_counter()
            synthetic.write_day(str(work), added, synthetic.DAYS + number)
            written = time.perf_counter() - started
            console.print(f"{size} articles: update {number + 1}/{increments} with {added} new articles")
            runs.append({"write_s": round(written, 2), "passes": run_all_apart(work, modules)})
            figure["incremental"] = summarise(runs)
            keep(figure)
        figure["store_mb_after"] = round(work.stat().st_size / 2**20, 1)
    return figure


def summarise(runs: list[dict]) -> dict[str, dict]:
    """Return each pass's median time, throughput and peak memory over the incremental runs."""
    summary = {}
    for name in runs[0]["passes"] if runs else []:
        figures = [run["passes"][name] for run in runs]
        seconds = [figure["seconds"] for figure in figures]
        median = statistics.median(seconds)
        cpu = [figure.get("cpu_s") for figure in figures]
        summary[name] = {"seconds": seconds, "median_s": round(median, 4), "cpu_s": cpu,
                         "median_cpu_s": round(statistics.median(cpu), 4) if None not in cpu else None,
                         "articles": figures[0]["articles"],
                         "articles_per_s": round(figures[0]["articles"] / median, 1) if median > 0 else None,
                         "peak_rss_mb": max(figure["peak_rss_mb"] for figure in figures),
                         "load_before": [figure["load_before"] for figure in figures]}
    return summary


def growth(figures: list[dict]) -> dict[str, dict]:
    """Return, per pass, the cost ratios of the largest size to the smallest: whole store and one added day."""
    if len(figures) < 2:
        return {}
    small, large = figures[0], figures[-1]
    result = {}
    for name in large["full"]:
        whole = _ratio(large["full"][name]["seconds"], small["full"].get(name, {}).get("seconds"))
        added = _ratio(large["incremental"].get(name, {}).get("median_s"),
                       small["incremental"].get(name, {}).get("median_s"))
        whole_cpu = _ratio(large["full"][name].get("cpu_s"), small["full"].get(name, {}).get("cpu_s"))
        added_cpu = _ratio(large["incremental"].get(name, {}).get("median_cpu_s"),
                           small["incremental"].get(name, {}).get("median_cpu_s"))
        result[name] = {"articles": [small["articles"], large["articles"]], "whole_store_ratio": whole,
                        "whole_store_cpu_ratio": whole_cpu, "increment_cpu_ratio": added_cpu,
                        "linear_ratio": round(large["articles"] / small["articles"], 1), "increment_ratio": added,
                        "statements": statement_growth(small, large, name)}
    return result


def statement_growth(small: dict, large: dict, name: str) -> list[dict]:
    """Return the slowest statements of a pass's added day at the largest size, with their time at the smallest."""
    def times(figure: dict) -> dict[str, float]:
        totals: dict[str, list[float]] = defaultdict(list)
        for run in figure["incremental_runs"]:
            for statement in run["passes"].get(name, {}).get("statements", []):
                totals[statement["sql"]].append(statement["seconds"])
        return {sql: statistics.median(values) for sql, values in totals.items()}

    before, after = times(small), times(large)
    return [{"sql": sql, "small_s": round(before.get(sql, 0.0), 4), "large_s": round(seconds, 4),
             "ratio": _ratio(seconds, before.get(sql))}
            for sql, seconds in sorted(after.items(), key=lambda item: -item[1])[:3]]


def _ratio(large: float | None, small: float | None) -> float | None:
    """Return large / small, or None when either is missing or small is zero."""
    return round(large / small, 2) if large is not None and small else None


def table_rows(figures: list[dict]) -> list[list[str]]:
    """Return one row per size and pass: the whole store, then the median added day."""
    rows = []
    for figure in figures:
        for name, full in figure["full"].items():
            added = figure["incremental"].get(name, {})
            rows.append([str(figure["articles"]), name, f"{full['seconds']:.2f}", _number(full.get("cpu_s")),
                         f"{full['articles'] / full['seconds']:.0f}" if full["seconds"] else "—",
                         f"{full['peak_rss_mb']:.0f}", _chunks(full.get("chunk_s", [])),
                         f"{added.get('median_s', float('nan')):.2f}", _number(added.get("median_cpu_s")),
                         " / ".join(f"{s:.2f}" for s in added.get("seconds", [])),
                         f"{added.get('peak_rss_mb', float('nan')):.0f}"])
    return rows


HEADERS = ["articles", "pass", "whole s", "CPU s", "articles/s", "peak MB", "chunks s: 2nd / last",
           "added day: median s", "CPU s", "runs s", "peak MB"]


def _chunks(seconds: list[float]) -> str:
    """Return the time of the second chunk (the first also finds the unseen articles) and of the last."""
    return f"{seconds[1]:.2f} / {seconds[-1]:.2f}" if len(seconds) > 1 else "—"
GROWTH_HEADERS = ["pass", "whole store ×", "CPU ×", "linear ×", "added day ×", "CPU ×"]


def growth_rows(ratios: dict[str, dict]) -> list[list[str]]:
    """Return one row per pass: how its cost grows from the smallest store to the largest."""
    return [[name, _show(g["whole_store_ratio"]), _show(g.get("whole_store_cpu_ratio")), f"{g['linear_ratio']:.1f}",
             _show(g["increment_ratio"]), _show(g.get("increment_cpu_ratio"))] for name, g in ratios.items()]


def _number(value: float | None) -> str:
    """Return seconds for a table cell."""
    return "—" if value is None else f"{value:.2f}"


def _show(value: float | None) -> str:
    """Return a ratio for a table cell."""
    return "—" if value is None else f"{value:.2f}"


def print_figures(console: Console, figures: list[dict], ratios: dict, markdown: bool) -> None:
    """Print the figures, and their growth when there are two sizes, as rich tables or Markdown."""
    tables = [("corpus passes", HEADERS, table_rows(figures))]
    if ratios:
        tables.append(("growth, largest store over smallest", GROWTH_HEADERS, growth_rows(ratios)))
    for title, headers, rows in tables:
        if markdown:
            print("| " + " | ".join(headers) + " |\n|" + "".join(" --- |" if header in ("articles", "pass") else " ---: |"
                                                              for header in headers))
            print("\n".join("| " + " | ".join(row) + " |" for row in rows) + "\n", flush=True)
            continue
        table = Table(title=title)
        for i, header in enumerate(headers):
            table.add_column(header, justify="left" if header == "pass" else "right")
        for row in rows:
            table.add_row(*row)
        console.print(table)


def run(sizes: list[int], console: Console, *, increments: int = 3, added: int = INCREMENT,
        out: Path | None = RESULTS, modules: list[str] | None = None, cache: Path | None = None,
        markdown: bool = False, earlier: list[dict] | None = None) -> dict:
    """Measure every size, print the tables and write the JSON report; return the report.

    earlier: the sizes of an earlier report, compared with those measured now (a 100k run
    made later against a 10k run made before).
    """
    modules = list(passes.PASSES if modules is None else modules)
    if not modules:
        console.print("No corpus pass is listed in veille.corpus.passes.PASSES: nothing to measure.")
    load = [round(value, 2) for value in os.getloadavg()]
    done: list[dict] = []
    for figure in earlier or []:  # the first report that has a size gives it; a size measured now replaces it
        if figure["articles"] not in sizes and figure["articles"] not in {size["articles"] for size in done}:
            done.append({**figure, "incremental": summarise(figure["incremental_runs"])})
    path = None

    def keep(*partial: dict) -> dict:
        """Return the report of the sizes done and in progress; write it (the largest size may take an hour)."""
        nonlocal path
        figures = sorted([*done, *partial], key=lambda figure: figure["articles"])
        report = {"sizes": figures, "growth": growth(figures), "passes": modules, "increments": increments,
                  "increment_articles": added, "load_at_start": load,
                  "load_at_end": [round(value, 2) for value in os.getloadavg()]}
        if out is not None:
            path = save_report(console, out, "corpus", **report)
        return report

    for size in sorted(sizes):
        done.append(run_size(size, modules, increments, added, cache, console, keep))
    report = keep()
    figures = report["sizes"]
    print_figures(console, figures, report["growth"], markdown)
    console.print(f"Load average at start {report['load_at_start']}, at end {report['load_at_end']} "
                  f"(a shared machine: other work runs beside these figures)", highlight=False)
    if path is not None:
        console.print(machine_note(json.loads(path.read_text(encoding="utf-8"))["machine"]), highlight=False)
    return report


def sizes_from_environment(default: list[int] = DEFAULT_SIZES) -> list[int]:
    """Return the store sizes named by VEILLE_BENCH_CORPUS ("10000,100000"), else the default."""
    value = os.environ.get(SIZES_VARIABLE, "").strip()
    return [int(part) for part in value.replace(" ", ",").split(",") if part] if value else list(default)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the corpus benchmark (or, with --pass-alone, one pass on one store)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.corpus", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=None,
                        help=f"articles per store (default: ${SIZES_VARIABLE}, else {DEFAULT_SIZES[0]})")
    parser.add_argument("--increments", type=int, default=3, help="added days of 1,000 articles; the median is shown")
    parser.add_argument("--added", type=int, default=INCREMENT, help="articles in each added day")
    parser.add_argument("--passes", nargs="+", metavar="MODULE", help="pass modules to run, in order (default: PASSES)")
    parser.add_argument("--cache", type=Path, help="folder to keep the synthetic stores in between runs")
    parser.add_argument("--compare-with", type=Path, metavar="REPORT", action="append",
                        help="an earlier corpus-*.json whose other sizes are compared with these "
                             "(repeatable; with --sizes and no size, only combine the reports)")
    parser.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for the JSON figures")
    parser.add_argument("--pass-alone", nargs=2, metavar=("MODULE", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.pass_alone:
        print(json.dumps(run_pass(args.pass_alone[1], args.pass_alone[0])), flush=True)
        return 0
    console = Console() if sys.stdout.isatty() else Console(width=120)
    run(sizes_from_environment() if args.sizes is None else args.sizes, console, increments=args.increments, added=args.added, out=args.out,
        modules=args.passes, cache=args.cache, markdown=args.markdown,
        earlier=[size for path in args.compare_with or [] for size in json.loads(path.read_text("utf-8"))["sizes"]])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
