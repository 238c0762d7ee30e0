"""A kill -9 at any moment of an ingest loses no committed batch, and re-running completes the rest."""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time

import duckdb

SENTENCES = [
    "Le conseil municipal a adopté le budget après un débat de plusieurs heures sur les transports publics.",
    "La ministre a reçu les représentants des syndicats pour discuter de la réforme annoncée en septembre.",
    "Les pompiers sont intervenus dans la nuit pour maîtriser un incendie dans un entrepôt de la zone portuaire.",
    "Le tribunal rendra sa décision le mois prochain, selon l'avocat de la famille interrogé par la presse.",
]


def write_corpus(path, pages: int) -> None:
    """Write a JSON Lines file of distinct article dumps."""
    rng = random.Random(7)
    with open(path, "w", encoding="utf-8") as out:
        for number in range(pages):
            body = "\n\n".join(" ".join(rng.sample(SENTENCES, 4)) + f" Dépêche {number}-{i}." for i in range(3))
            out.write(json.dumps({"text": f"Accueil\n\nTitre de la dépêche {number}\n\n{body}\n"}) + "\n")


def ingest_command(corpus, db) -> list[str]:
    """Return the command line of a slow-committing ingest (small batches, one worker)."""
    return [sys.executable, "-m", "veille", "ingest", str(corpus), "--db", str(db), "--workers", "1",
            "--batch-size", "5", "--no-progress"]


def snapshot(db) -> tuple[dict, set]:
    """Return the store's counts and the (id, text) of every article."""
    with duckdb.connect(str(db), read_only=True) as con:
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("pages", "articles", "rejects")}
        texts = set(con.execute("SELECT id, md5(text) FROM articles").fetchall())
    return counts, texts


def kill_after_first_commits(command: list[str], wal: str, extra: float) -> bool:
    """Start an ingest, SIGKILL it a little after its first commit; say whether it was still running."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        if os.path.exists(wal) and os.path.getsize(wal) > 0:
            time.sleep(extra)
            break
        time.sleep(0.01)
    was_running = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait()
    return was_running


def test_kill_minus_nine_then_resume_equals_an_uninterrupted_run(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    write_corpus(corpus, 300)
    reference = tmp_path / "reference.duckdb"
    subprocess.run(ingest_command(corpus, reference), check=True)
    db = tmp_path / "killed.duckdb"
    rng = random.Random(11)
    kills = sum(kill_after_first_commits(ingest_command(corpus, db), f"{db}.wal", rng.uniform(0.05, 0.6))
                for _ in range(3))
    assert kills >= 1, "the ingest finished before any kill: make the corpus larger"
    survived = snapshot(db)[0]["articles"]
    assert 0 < survived < 300  # committed batches survived the kills; the rest is still to do
    subprocess.run(ingest_command(corpus, db), check=True)
    assert snapshot(db) == snapshot(reference)
    assert snapshot(db)[0]["articles"] == 300
