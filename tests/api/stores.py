"""The stores the API and web tests read: the bundled samples, plus articles written here by hand.

The samples are ingested once per test session (the ingest loads the spaCy models) by the
`samples_ingest` fixture, which tests/conftest.py registers for every test; `store_path` is
a copy of that store with the hand-written rows added, shared by the API and browser tests.
The hand-written articles carry what the annotators may not produce yet (events, a story,
role and pronoun mentions) and what must never run in a page (markup in titles and quotes).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from veille.ingest import IngestReport, ingest
from veille.store.connect import open_store

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"

HOSTILE_TITLE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">Titre piégé'
HOSTILE_QUOTE = '<b onmouseover="window.__pwned = 3">gras</b><script>window.__pwned = 4</script>'
HOSTILE_SPEAKER = '<svg onload="window.__pwned = 5">Orateur'
HOSTILE_TEXT = (f"Le ministre Paul Ndiaye a déclaré : « {HOSTILE_QUOTE} » lors du sommet de Dakar.\n\n"
                "Paul Ndiaye a rencontré Awa Sarr, présidente du conseil, à Dakar mardi. Il l'a remerciée.")
# Paul Ndiaye's mentions besides his name: a role noun and a pronoun that stand for him.
REFERENCES = (("Le ministre", "role"), ("Il", "pronoun"))


@pytest.fixture(scope="session")
def samples_ingest(tmp_path_factory) -> tuple[str, IngestReport]:
    """Ingest data/samples with two worker processes, as `make demo` does; return the store path and report."""
    db = str(tmp_path_factory.mktemp("samples") / "samples.duckdb")
    return db, ingest([str(SAMPLES)], db, workers=2, batch_size=8)


@pytest.fixture(scope="session")
def store_path(samples_ingest, tmp_path_factory) -> Path:
    """Return the path of a copy of the samples store with the hand-written rows added (made once a session)."""
    path = copy_store(Path(samples_ingest[0]), tmp_path_factory.mktemp("sample-store"))
    add_hand_written(str(path))
    return path


def copy_store(source: Path, folder: Path) -> Path:
    """Copy a store file (not its search index) into a folder, for a test that changes it."""
    target = folder / source.name
    shutil.copyfile(source, target)
    return target


def add_hand_written(path: str) -> None:
    """Add two hand-written articles, their annotations, one event reported by both, and a story."""
    quote_start = HOSTILE_TEXT.index(HOSTILE_QUOTE)
    second = HOSTILE_TEXT.index("Paul Ndiaye a rencontré")
    with open_store(path) as con:
        for article_id, site, published in (("hand0000000000000000000000000001", "dakar-soir.example", "2025-03-04"),
                                            ("hand0000000000000000000000000002", "lejournal.example", "2025-03-05")):
            con.execute("""INSERT INTO articles (id, source, site, title, published, language, text, paragraphs,
                                                 removed, meta)
                           VALUES (?, 'hand-written', ?, ?, ?, 'fr', ?, ?, ?, '{}')""",
                        [article_id, site, HOSTILE_TITLE, published, HOSTILE_TEXT, HOSTILE_TEXT.split("\n\n"),
                         '[{"text": "<script>window.__pwned = 6</script>Partager", "reason": "ui_line"}]'])
            for entity_id, name, starts in (("ent-ndiaye", "Paul Ndiaye", (HOSTILE_TEXT.index("Paul Ndiaye"), second)),
                                            ("ent-sarr", "Awa Sarr", (HOSTILE_TEXT.index("Awa Sarr"),))):
                mentions = [(start, name, "name") for start in starts]
                if entity_id == "ent-ndiaye":
                    mentions += [(HOSTILE_TEXT.index(text + " "), text, kind) for text, kind in REFERENCES]
                con.execute("INSERT INTO entities VALUES (?, ?, ?, 'PER', ?, '{}', ?)",
                            [article_id, entity_id, name, ["ministre"] if name == "Paul Ndiaye" else [], len(mentions)])
                for start, text, kind in mentions:
                    con.execute("INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?)",
                                [article_id, entity_id, start, start + len(text), text, kind])
            con.execute("""INSERT INTO quotes VALUES (?, ?, ?, ?, ?, 'direct', ?, 'ent-ndiaye', 'a déclaré', NULL,
                                                      12, 23)""",
                        [article_id, f"q-{article_id[-1]}", quote_start, quote_start + len(HOSTILE_QUOTE), HOSTILE_QUOTE,
                         "Paul Ndiaye" if article_id.endswith("1") else HOSTILE_SPEAKER])
            con.execute("""INSERT INTO events VALUES (?, ?, 'CONSULT', 'Paul Ndiaye', 'ent-ndiaye', 'Awa Sarr',
                                                      'ent-sarr', 'Dakar', '2025-03-04', ?, ?, ?, false, NULL, false, '04')""",
                        [article_id, f"ev-{article_id[-1]}", second, len(HOSTILE_TEXT), HOSTILE_TEXT[second:]])
        con.execute("""INSERT INTO story_members VALUES ('story-dakar', 'hand0000000000000000000000000001', 1),
                                                        ('story-dakar', 'hand0000000000000000000000000002', 1)""")
