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


# Models off: what is tested is the store's commits, and the rule-based annotators (quotes,
# dates) still run; spaCy would only make each of the five runs slower.
ENV = {**os.environ, "VEILLE_MODEL_FR": "none", "VEILLE_MODEL_EN": "none"}


def write_corpus(path, pages: int) -> None:
    """Write a JSON Lines file of distinct article dumps."""
    rng = random.Random(7)
    with open(path, "w", encoding="utf-8") as out:
        for number in range(pages):
            body = "\n\n".join(" ".join(rng.sample(SENTENCES, 4)) + f" Dépêche {number}-{i}." for i in range(3))
            out.write(json.dumps({"text": f"Accueil\n\nTitre de la dépêche {number}\n\n{body}\n"}) + "\n")


def ingest_command(corpus, db) -> list[str]:
    """Return the command line of a slow-committing ingest (small batches, one worker, logged commits)."""
    return [sys.executable, "-m", "veille", "ingest", str(corpus), "--db", str(db), "--workers", "1",
            "--batch-size", "5"]


def snapshot(db) -> tuple[dict, set]:
    """Return the store's counts and the (id, text) of every article."""
    with duckdb.connect(str(db), read_only=True) as con:
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("pages", "articles", "rejects")}
        texts = set(con.execute("SELECT id, md5(text) FROM articles").fetchall())
    return counts, texts


def kill_after_a_commit(command: list[str], commits: int) -> bool:
    """Start an ingest and SIGKILL it once it has logged so many commits; say whether it was still running."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=ENV)
    seen = 0
    for line in process.stderr:
        seen += line.startswith("committed:")
        if seen >= commits:
            break
    was_running = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait()
    process.stderr.close()
    return was_running


def test_kill_minus_nine_then_resume_equals_an_uninterrupted_run(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    write_corpus(corpus, 300)
    reference = tmp_path / "reference.duckdb"
    subprocess.run(ingest_command(corpus, reference), check=True, capture_output=True, env=ENV)
    db = tmp_path / "killed.duckdb"
    for _ in range(3):  # kill, resume and kill again, three times
        assert kill_after_a_commit(ingest_command(corpus, db), commits=1)
        survived = snapshot(db)[0]["articles"]
        assert 0 < survived < 300  # committed batches survived the kill; the rest is still to do
    subprocess.run(ingest_command(corpus, db), check=True, capture_output=True, env=ENV)
    assert snapshot(db) == snapshot(reference)
    assert snapshot(db)[0]["articles"] == 300


def test_pool_workers_exit_when_the_ingest_is_killed(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    write_corpus(corpus, 300)
    command = ingest_command(corpus, tmp_path / "pool.duckdb")
    command[command.index("--workers") + 1] = "2"
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=ENV,
                               start_new_session=True)  # its own process group: the pool's processes join it
    assert process.stderr.readline().startswith("committed:")
    process.send_signal(signal.SIGKILL)
    process.wait()
    process.stderr.close()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return  # nothing of the ingest is left running
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)
    raise AssertionError("pool processes outlived the killed ingest")
