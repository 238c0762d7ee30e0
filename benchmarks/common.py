"""Timing, memory and machine helpers shared by the benchmark modules."""
from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

HEADERS = ["stage", "pages", "workers", "median s", "pages/s", "per core", "× baseline", "CPU s", "× baseline, CPU"]


@dataclass(slots=True)
class Stage:
    """One measured step: its name, how many pages it handles, and how to run it once."""

    name: str
    pages: int
    run: Callable[[Any], object]
    # Untimed preparation handed to run (a fresh store file, an open writer): not the step's cost.
    setup: Callable[[], Any] = lambda: None
    workers: int = 1
    # False when the work runs in other processes (a pool, Ray): this process's CPU time is not the stage's.
    in_process: bool = True


@dataclass(slots=True)
class Figure:
    """The timings of one stage over the repetitions, and the process's peak memory after it."""

    stage: str
    pages: int
    workers: int
    seconds: list[float] = field(default_factory=list)
    peak_rss_mb: float = 0.0
    cpu_seconds: list[float] = field(default_factory=list)  # empty when the work runs in other processes

    @property
    def median_cpu(self) -> float | None:
        """Return the median CPU time of one run (this process's), None when not measured."""
        return statistics.median(self.cpu_seconds) if self.cpu_seconds else None

    @property
    def median(self) -> float:
        """Return the median wall time of one run of the stage."""
        return statistics.median(self.seconds)

    @property
    def pages_per_s(self) -> float:
        """Return the stage's throughput over all its workers."""
        return self.pages / self.median if self.median > 0 else float("inf")

    def to_dict(self, baseline: Figure | None) -> dict:
        """Return the figures as JSON-ready values."""
        return {"stage": self.stage, "pages": self.pages, "workers": self.workers,
                "seconds": [round(s, 4) for s in self.seconds], "median_s": round(self.median, 4),
                "pages_per_s": round(self.pages_per_s, 2),
                "pages_per_s_per_core": round(self.pages_per_s / self.workers, 2),
                "ratio": round(ratio(self, baseline), 3) if baseline else None,
                "cpu_seconds": [round(s, 4) for s in self.cpu_seconds],
                "median_cpu_s": round(self.median_cpu, 4) if self.median_cpu is not None else None,
                "cpu_ratio": round(cpu_ratio(self, baseline), 3) if cpu_ratio(self, baseline) else None,
                "peak_rss_mb": round(self.peak_rss_mb, 1)}


def ratio(figure: Figure, baseline: Figure) -> float:
    """Return a stage's throughput relative to the baseline's (2.0: twice as many pages per second)."""
    return figure.pages_per_s / baseline.pages_per_s


def cpu_ratio(figure: Figure, baseline: Figure | None) -> float | None:
    """Return the same ratio in CPU time (pages per CPU second), None when either was not measured."""
    if baseline is None or not figure.median_cpu or not baseline.median_cpu:
        return None
    return (figure.pages / figure.median_cpu) / (baseline.pages / baseline.median_cpu)


def measure(stages: list[Stage], repeat: int, on_stage: Callable[[str], None] = lambda _: None) -> list[Figure]:
    """Run every stage `repeat` times, round by round so that drift hits every stage alike."""
    figures = [Figure(stage.name, stage.pages, stage.workers) for stage in stages]
    for round_number in range(repeat):
        for stage, figure in zip(stages, figures):
            on_stage(f"round {round_number + 1}/{repeat}: {stage.name}")
            wall, cpu = time_once(stage)
            figure.seconds.append(wall)
            if stage.in_process:
                figure.cpu_seconds.append(cpu)
            figure.peak_rss_mb = peak_rss_mb()
    return figures


def time_once(stage: Stage) -> tuple[float, float]:
    """Return the wall time and this process's CPU time of one run of a stage, its setup left out."""
    prepared = stage.setup()
    start, cpu = time.perf_counter(), time.process_time()
    stage.run(prepared)
    return time.perf_counter() - start, time.process_time() - cpu


def peak_rss_mb() -> float:
    """Return the peak resident memory of this process in MB."""
    # ru_maxrss is in kilobytes on Linux (bytes on macOS, which these figures do not cover).
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> dict:
    """Return what the figures depend on: cores, CPU model, Python version, OS."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"cores": cores, "cpu": cpu_model(), "python": platform.python_version(),
            "system": f"{platform.system()} {platform.release()}"}


def machine_note(box: dict) -> str:
    """Return the line that says which machine a report's figures come from."""
    return f"Machine: {box['cores']} cores, {box['cpu']}, Python {box['python']}, {box['system']}"


def cpu_model() -> str:
    """Return the CPU model name from /proc/cpuinfo, or what the platform module knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def table_rows(figures: list[Figure], baseline: Figure | None) -> list[list[str]]:
    """Return the table's cells, formatted, one row per stage."""
    rows = []
    for figure in figures:
        times = f"{ratio(figure, baseline):.2f}" if baseline else "—"
        cpu_times = cpu_ratio(figure, baseline)
        rows.append([figure.stage, str(figure.pages), str(figure.workers), f"{figure.median:.3f}",
                     f"{figure.pages_per_s:.1f}", f"{figure.pages_per_s / figure.workers:.1f}", times,
                     f"{figure.median_cpu:.3f}" if figure.median_cpu is not None else "—",
                     f"{cpu_times:.2f}" if cpu_times else "—"])
    return rows


def print_table(console: Console, title: str, rows: list[list[str]]) -> None:
    """Print the figures as a rich table."""
    table = Table(title=title)
    for i, header in enumerate(HEADERS):
        table.add_column(header, justify="left" if i == 0 else "right", no_wrap=i == 0)
    for row in rows:
        table.add_row(*row)
    console.print(table)


def show_figures(console: Console, title: str, rows: list[list[str]], notes: list[str], markdown: bool) -> None:
    """Print the figures and their notes, as a rich table or as Markdown."""
    if markdown:
        print(markdown_table(rows) + "\n\n" + "\n".join(f"- {note}" for note in notes), flush=True)
        return
    print_table(console, title, rows)
    for note in notes:
        console.print(note, highlight=False, markup=False)  # "veille[ray]" is text, not a style


def markdown_table(rows: list[list[str]]) -> str:
    """Return the figures as a Markdown table, numbers right-aligned."""
    lines = ["| " + " | ".join(HEADERS) + " |", "| --- |" + " ---: |" * (len(HEADERS) - 1)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def save_report(console: Console, out: Path, name: str, **fields: Any) -> Path:
    """Write a benchmark's report (name, date, machine and its own fields) as <out>/<name>-<date>.json."""
    return write_report(console, out, {"benchmark": name, "date": date.today().isoformat(), "machine": machine(),
                                       **fields})


def write_report(console: Console, out: Path, report: dict) -> Path:
    """Write a report with its benchmark name and date as <out>/<benchmark>-<date>.json, and say where."""
    path = write_json(out / f"{report['benchmark']}-{report['date']}.json", report)
    console.print(f"Figures written to {path}")
    return path


def write_json(path: Path, report: dict) -> Path:
    """Write a report as indented JSON, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
