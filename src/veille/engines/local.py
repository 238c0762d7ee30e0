"""The local engine: the same stage functions over batches, in this process or a process pool.

Batches are pulled from the input only when a worker is free (at most ``2 * workers`` in
flight), so memory stays flat however large the input is; results come back in input order.
"""
from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def default_workers() -> int:
    """Return the number of cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class LocalEngine:
    """Map a function over batches with a bounded process pool (or inline with one worker)."""

    def __init__(self, workers: int | None = None):
        self.workers = max(1, workers or default_workers())

    def map_batches(self, fn: Callable[[T], R], batches: Iterable[list[T]]) -> Iterator[tuple[list[T], list[R]]]:
        """Yield (batch, [fn(item) for item in batch]) for each batch, in order."""
        if self.workers == 1:
            for batch in batches:
                yield batch, [fn(item) for item in batch]
            return
        yield from self._map_in_pool(fn, batches)

    def _map_in_pool(self, fn, batches) -> Iterator[tuple[list, list]]:
        """Run batches in a process pool, keeping a bounded window of them in flight."""
        context = multiprocessing.get_context("forkserver")
        window: deque[tuple[list, Future]] = deque()
        with ProcessPoolExecutor(self.workers, mp_context=context) as pool:
            for batch in batches:
                window.append((batch, pool.submit(_map_list, fn, batch)))
                if len(window) >= 2 * self.workers:
                    done_batch, future = window.popleft()
                    yield done_batch, future.result()
            while window:
                done_batch, future = window.popleft()
                yield done_batch, future.result()


def _map_list(fn: Callable[[T], R], items: list[T]) -> list[R]:
    """Apply fn to each item (runs in a worker process)."""
    return [fn(item) for item in items]
