"""The writer binds plain columns as one JSON text: every value comes back as it went in."""
from __future__ import annotations

import datetime
import math

import pytest

from veille.store import writer
from veille.store.writer import StoreWriter

TRICKY = ["plain", "", None, 'quote " and \\ backslash', "{\"looks\": [\"like\", \"json\"]}", "null",
          "accents é ü ß, scripts Шойгу 中文, emoji 🙂", "new\nline\ttab", "\u2028\u2029", "0", "true"]


@pytest.fixture
def store(tmp_path):
    """Return an open writer on a fresh store with a table of every plain type and a few others."""
    with StoreWriter(str(tmp_path / "s.duckdb")) as opened:
        opened.con.execute("""CREATE TABLE probe (s VARCHAR, b BOOLEAN, i INTEGER, g BIGINT, d DOUBLE,
                                                  t TIMESTAMP, raw BLOB, j JSON, l VARCHAR[])""")
        yield opened


def read_back(store) -> list[tuple]:
    """Return the probe table's rows in the order they were written."""
    return store.con.execute("SELECT * FROM probe ORDER BY i").fetchall()


def test_plain_values_come_back_exactly(store):
    rows = [(text, number % 2 == 0, number, 2**40 + number, float(number) / 3, None, None, None, None)
            for number, text in enumerate(TRICKY)]
    store._insert("probe", rows)
    assert read_back(store) == rows


def test_special_floats_and_other_types_come_back_exactly(store):
    day = datetime.datetime(2026, 11, 30, 15, 30)
    rows = [("a", None, 1, None, math.inf, day, b"\x00\xff gz", '{"k": [1, 2]}', ["x", None, "y"]),
            ("b", True, 2, -1, -math.inf, None, None, "[]", []),
            ("c", False, 3, 0, None, day, b"", None, None)]
    store._insert("probe", rows)
    back = read_back(store)
    assert [row[:6] + row[7:] for row in back] == [row[:6] + row[7:] for row in rows]
    assert [row[6] for row in back] == [b"\x00\xff gz", None, b""]


def test_a_value_json_cannot_hold_is_bound_as_a_list(store):
    kind, value = writer._bound("VARCHAR", ["a", datetime.date(2026, 11, 30)])
    assert (kind, value) == ("VARCHAR", ["a", datetime.date(2026, 11, 30)])
    assert writer._bound("VARCHAR", ["a", None]) == ("JSON::VARCHAR", '["a", null]')
    assert writer._bound("BLOB", [b"x"]) == ("BLOB", [b"x"])
    store._insert("probe", [(datetime.date(2026, 11, 30), None, 1, None, None, None, None, None, None)])
    assert read_back(store)[0][0] == "2026-11-30"
