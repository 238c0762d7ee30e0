"""The local engine: the same stage functions over batches, in this process or a process pool.

The function maps a list of items to their results (so that a worker can parse the
articles of its part of a batch together). Each batch is split across the workers; batches
are pulled from the input only when one of the two in flight is done, so memory stays flat
however large the input is; results come back in input order.
"""
from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

# The server workers fork from imports the pipeline and loads the models once for all of them.
PRELOAD = ["veille.pipeline", "veille.nlp.preload"]
WATCH_SECONDS = 1.0  # how soon an orphaned worker notices its driver is gone
T = TypeVar("T")
R = TypeVar("R")


def default_workers() -> int:
    """Return the number of cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class LocalEngine:
    """Map a function over batches with a bounded process pool (or inline with one worker)."""

    def __init__(self, workers: int | None = None):
        self.workers = max(1, workers or default_workers())

    def map_batches(self, fn: Callable[[list[T]], list[R]],
                    batches: Iterable[list[T]]) -> Iterator[tuple[list[T], list[R]]]:
        """Yield (batch, fn(batch)) for each batch, in order (fn gives one result per item)."""
        if self.workers == 1:
            for batch in batches:
                yield batch, fn(batch)
            return
        yield from self._map_in_pool(fn, batches)

    def _map_in_pool(self, fn, batches) -> Iterator[tuple[list, list]]:
        """Run each batch split across the workers, keeping two batches in flight."""
        context = multiprocessing.get_context("forkserver")
        # Workers fork from a server that has already imported the pipeline and its libraries.
        context.set_forkserver_preload(PRELOAD)
        window: deque[tuple[list, list[Future]]] = deque()
        with ProcessPoolExecutor(self.workers, mp_context=context, initializer=_watch_driver,
                                 initargs=(os.getpid(),)) as pool:
            for batch in batches:
                window.append((batch, [pool.submit(fn, part) for part in self._split(batch)]))
                if len(window) >= 2:
                    yield _collect(*window.popleft())
            while window:
                yield _collect(*window.popleft())

    def _split(self, batch: list) -> list[list]:
        """Cut a batch into one contiguous part per worker."""
        size = -(-len(batch) // self.workers) or 1
        return [batch[start:start + size] for start in range(0, len(batch), size)]


def _watch_driver(driver_pid: int) -> None:
    """In a worker: exit when the driving process is gone (killed with -9, it cannot tell us)."""
    def watch() -> None:
        while True:
            time.sleep(WATCH_SECONDS)
            try:
                os.kill(driver_pid, 0)
            except ProcessLookupError:
                os._exit(1)

    threading.Thread(target=watch, name="veille-driver-watch", daemon=True).start()


def _collect(batch: list, futures: list[Future]) -> tuple[list, list]:
    """Wait for a batch's parts and join their results in order."""
    return batch, [result for future in futures for result in future.result()]

