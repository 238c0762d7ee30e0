"""The examples of docs/python.md run as written, on a copy of the sample store."""
from __future__ import annotations

import doctest
import shutil
from pathlib import Path

from tests.api.stores import copy_store
from tests.conftest import SEED

DOC = Path(__file__).resolve().parents[2] / "docs" / "python.md"


def test_python_api_examples_run(store_path, tmp_path, monkeypatch):
    copy_store(store_path, tmp_path).rename(tmp_path / "veille.duckdb")
    shutil.copyfile(SEED, tmp_path / "page.txt")
    monkeypatch.chdir(tmp_path)
    # The ingest example's one page runs in this process: a worker pool would load the models again.
    monkeypatch.setattr("veille.engines.local.default_workers", lambda: 1)
    result = doctest.testfile(str(DOC), module_relative=False, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted > 20 and result.failed == 0
