"""The writer's checkpoints write row groups of at most ROW_GROUP_ROWS rows, so that each rewrites little."""
from __future__ import annotations

import duckdb

from veille.records import Page, Reject
from veille.store.writer import ROW_GROUP_ROWS, StoreWriter


def rejected(count: int, start: int = 0) -> list[tuple[Page, Reject]]:
    """Return count distinct rejected pages."""
    pairs = []
    for number in range(start, start + count):
        page = Page(source=f"page-{number}.html", content=f"<p>{number}</p>", format="html")
        pairs.append((page, Reject(source=page.source, reason="no_article_found", error="", id=page.id)))
    return pairs


def row_groups(db: str, table: str) -> list[int]:
    """Return the rows of each row group of a table, read as a reader opens the store."""
    with duckdb.connect(db, read_only=True) as con:
        return [row[0] for row in con.execute(
            "SELECT max(count) FROM pragma_storage_info(?) WHERE column_id = 0 GROUP BY row_group_id "
            "ORDER BY row_group_id", [table]).fetchall()]


def test_appended_rows_land_in_row_groups_of_at_most_row_group_rows(tmp_path):
    db = str(tmp_path / "store.duckdb")
    total = ROW_GROUP_ROWS + ROW_GROUP_ROWS // 2
    with StoreWriter(db) as writer:
        for start in range(0, total, 512):  # several checkpoints, each appending to the last row group
            writer.write_batch(rejected(min(512, total - start), start))
            writer._reopen()
    groups = row_groups(db, "rejects")
    assert sum(groups) == total
    assert max(groups) <= ROW_GROUP_ROWS
    assert len(groups) >= 2


def test_a_store_written_with_small_row_groups_reads_back_in_a_plain_connection(tmp_path):
    db = str(tmp_path / "store.duckdb")
    with StoreWriter(db) as writer:
        writer.write_batch(rejected(10))
    with StoreWriter(db) as writer:  # reopened: the rows already there are skipped
        assert writer.write_batch(rejected(12)).rejects == 2
    with duckdb.connect(db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM rejects").fetchone()[0] == 12
