"""`veille search` and `veille serve` on the command line."""
from __future__ import annotations

import json

from tests.api.stores import copy_store


def test_search_prints_results_and_json_lines(cli, store_path, tmp_path):
    db = copy_store(store_path, tmp_path)
    shown = cli("search", "port", "--db", db, "--lang", "en")
    assert shown.code == 0 and "result(s)" in shown.out and "Montreal" in shown.out
    lines = cli("search", "--db", db, "--entity", "Awa Sarr", "--json").jsonl()
    assert {line["id"] for line in lines} == {"hand0000000000000000000000000001", "hand0000000000000000000000000002"}
    assert all(json.dumps(line) for line in lines)


def test_search_refuses_a_bad_date_and_a_missing_store(cli, tmp_path):
    assert cli("search", "x", "--db", tmp_path / "none.duckdb").code == 3
    result = cli("search", "x", "--db", tmp_path / "none.duckdb", "--from", "last week")
    assert result.code == 2 and "YYYY" in result.err


def test_new_commands_have_help(cli):
    for command in ("search", "serve"):
        result = cli(command, "--help")
        assert result.code == 0 and "--db" in result.out
