"""Defaults and limits shared by the command line and the library, kept in one place so both agree.

Limits that have no command-line option yet are environment settings, read when used:
VEILLE_DUCKDB_MEMORY (the writer's DuckDB memory) and VEILLE_PAGE_SECONDS (one page's
time budget). docs/reliability.md says how each was chosen and tested.
"""
from __future__ import annotations

import math
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from veille.errors import UsageError

DEFAULT_DB = "veille.duckdb"
# Pages per committed transaction: small enough that a kill loses little, large enough
# that commits cost little (store writes run at ~170 pages/s in batches of 64,
# docs/performance.md).
DEFAULT_BATCH = 64
DEFAULT_MAX_BYTES = 50 * 1024 * 1024  # 50 MB: larger than any real news page, small enough for RAM
# 100 times: of 257 real pages and archives (data/samples, the dev sets), the most compressible
# inflates 8.3 times under gzip; a decompression bomb inflates about 1000 times. A stream is
# judged only past 64 MB of output, so no small file is ever refused for its ratio.
MAX_GZIP_RATIO = 100
GZIP_FREE_BYTES = 64 * 1024 * 1024
# DuckDB's memory limit for the store writer. Unset, DuckDB caches up to 80% of RAM and
# an ingest's memory grows with the corpus (2.2 GB after 2 GB of pages); at 256MB it stays
# under about 1 GB whatever the corpus size (docs/performance.md). VEILLE_DUCKDB_MEMORY sets it.
WRITER_MEMORY = os.environ.get("VEILLE_DUCKDB_MEMORY", "256MB")
# 60 s per page, cleaning and annotation together. Measured on one core here
# (docs/reliability.md): the seed page takes 0.1 s, a 64 KB article (ten times a long news
# story) 3 s, a 640 KB one 32 s; loading the spaCy models, paid by the first page of a
# process, 6 to 10 s. A page over a minute is a pathology (a 5 MB HTML page of text
# takes 13 s to clean and minutes to annotate), not news. 0 turns the budget off.
DEFAULT_PAGE_SECONDS = 60.0
PAGE_SECONDS_SETTING = "VEILLE_PAGE_SECONDS"


class PageTimeout(BaseException):
    """A page used up its time budget.

    A BaseException, like KeyboardInterrupt, so that no library's ``except Exception``
    around its own work can swallow it.
    """


def page_seconds() -> float:
    """Return one page's time budget in seconds (VEILLE_PAGE_SECONDS; 0 means none)."""
    raw = os.environ.get(PAGE_SECONDS_SETTING, "").strip()
    if not raw:
        return DEFAULT_PAGE_SECONDS
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not math.isfinite(seconds) or seconds < 0:
        raise UsageError(f"{PAGE_SECONDS_SETTING}={raw!r} is not a number of seconds (0 turns the budget off)")
    return seconds


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise PageTimeout inside the block once it has run for seconds (0: no budget).

    The budget is a SIGALRM timer, so it holds in the main thread of a process (the CLI,
    each pool worker) when no other real-time timer is running; elsewhere (a thread of a
    server, a program with its own timer) the block runs without one. Python code and
    regular expressions are interrupted; a single call into C code is interrupted when it
    returns.
    """
    if not seconds or not _may_set_timer():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _may_set_timer() -> bool:
    """Say whether this thread may own the process's real-time timer now."""
    return (threading.current_thread() is threading.main_thread()
            and signal.getitimer(signal.ITIMER_REAL)[0] == 0)


def _expire(signum, frame) -> None:
    """Turn the budget's alarm into a PageTimeout where the page's code is running."""
    raise PageTimeout()
