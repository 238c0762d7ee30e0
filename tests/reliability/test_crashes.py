"""Crashes and concurrency on the store: kill -9 at random moments, a full disk, two ingests at once.

Builds on tests/store/test_kill_resume.py (which kills right after a commit): here the
kill falls at any moment (start-up, migration, reading, annotating, inside a commit), many
times over one store, and the result is compared by counts and content hashes with an
uninterrupted run. The models are off: the store is under test, and the runs start fast.
"""
from __future__ import annotations

import os
import random
import resource
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from bad_inputs import is_stress_run, reuse_test_module

kill_resume = reuse_test_module("store/test_kill_resume.py")
ENV = {**os.environ, "VEILLE_MODEL_FR": "none", "VEILLE_MODEL_EN": "none"}
TABLES = ("pages", "articles", "rejects", "entities", "mentions", "quotes", "dates", "site_lines", "site_pages")
PAGES = 80


def fingerprint(db) -> dict[str, tuple[int, str]]:
    """Return each table's row count and a hash of its content (timestamps left out)."""
    prints = {}
    with duckdb.connect(str(db), read_only=True) as con:
        for table in TABLES:
            columns = [row[0] for row in con.execute(f"DESCRIBE {table}").fetchall() if not row[0].endswith("_at")]
            row = ", ".join(f"coalesce(CAST(\"{column}\" AS VARCHAR), '∅')" for column in columns)
            count, digest = con.execute(f"SELECT count(*), coalesce(bit_xor(hash(concat_ws('|', {row}))), 0) "
                                        f"FROM {table}").fetchone()
            prints[table] = (count, str(digest))
    return prints


def run_to_the_end(corpus, db, **extra) -> subprocess.CompletedProcess:
    """Run an ingest to its end (models off) and return it."""
    return subprocess.run(kill_resume.ingest_command(corpus, db), env=ENV, capture_output=True, text=True,
                          timeout=300, **extra)


@pytest.fixture(scope="module")
def corpus_and_reference(tmp_path_factory):
    """Write the corpus once and ingest it without interruption: the reference store."""
    folder = tmp_path_factory.mktemp("crash")
    corpus = folder / "corpus.jsonl"
    kill_resume.write_corpus(corpus, PAGES)
    reference = folder / "reference.duckdb"
    assert run_to_the_end(corpus, reference).returncode == 0
    return corpus, reference


def kill_at_random(corpus, db, rng: random.Random, horizon: float) -> None:
    """Start an ingest and SIGKILL it at a random moment within horizon seconds (or when it ends)."""
    process = subprocess.Popen(kill_resume.ingest_command(corpus, db), env=ENV,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        process.wait(timeout=rng.uniform(0.2, horizon))
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()


@pytest.mark.parametrize("kills", [2, pytest.param(20, marks=pytest.mark.slow)])
def test_kill_minus_nine_at_random_moments_loses_nothing(tmp_path, corpus_and_reference, kills):
    corpus, reference = corpus_and_reference
    db = tmp_path / "killed.duckdb"
    rng = random.Random(kills)
    for _ in range(kills):
        kill_at_random(corpus, db, rng, horizon=6.0)
        if db.exists():
            fingerprint(db)  # readable after every kill
    assert run_to_the_end(corpus, db).returncode == 0
    assert fingerprint(db) == fingerprint(reference)
    assert fingerprint(db)["articles"][0] == PAGES


def cap_file_size(limit: int):
    """Return a pre-exec function that caps the size of any file the child writes (a disk that fills up)."""
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead of killing the process
    return cap


@pytest.fixture(scope="module")
def full_disk_run(tmp_path_factory, corpus_and_reference) -> tuple[subprocess.CompletedProcess, object]:
    """Run an ingest whose files may not grow past 1.5 MB; return the run and its store."""
    db = tmp_path_factory.mktemp("full") / "full.duckdb"
    return run_to_the_end(corpus_and_reference[0], db, preexec_fn=cap_file_size(800_000)), db


def test_full_disk_stops_the_ingest_and_the_store_stays_readable_and_resumable(full_disk_run, corpus_and_reference):
    corpus, reference = corpus_and_reference
    run, db = full_disk_run
    assert run.returncode != 0
    assert "File too large" in run.stderr
    stored = fingerprint(db)  # readable: what was committed before the disk filled up
    assert 0 < stored["articles"][0] < PAGES
    assert stored["pages"][0] == stored["articles"][0] + stored["rejects"][0]
    assert run_to_the_end(corpus, db).returncode == 0  # room again: the run resumes and completes
    assert fingerprint(db) == fingerprint(reference)


def test_full_disk_is_reported_as_a_store_error(full_disk_run):
    run, _ = full_disk_run
    assert run.returncode == 3 and "Traceback" not in run.stderr
    message = " ".join(run.stderr.split())
    assert "File too large" in message and ("rolled back" in message or "is the disk full?" in message)


def test_second_ingest_on_one_store_fails_naming_the_lock_holder(tmp_path, corpus_and_reference):
    corpus, reference = corpus_and_reference
    db = tmp_path / "shared.duckdb"
    first = subprocess.Popen(kill_resume.ingest_command(corpus, db), env=ENV,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert first.stderr.readline().startswith("committed:")  # the first holds the store and is writing
    first.send_signal(signal.SIGSTOP)  # paused, so that it still holds the lock whatever the machine's speed
    try:
        second = run_to_the_end(corpus, db)
    finally:
        first.send_signal(signal.SIGCONT)
    assert second.returncode == 4
    assert f"locked by another veille process (pid {first.pid})" in " ".join(second.stderr.split())
    first.stderr.read()
    assert first.wait(timeout=300) == 0
    assert fingerprint(db) == fingerprint(reference)  # the refused run changed nothing


def test_slow_runs_are_only_skipped_outside_make_stress():
    assert is_stress_run() == (os.environ.get("VEILLE_STRESS") == "1")
