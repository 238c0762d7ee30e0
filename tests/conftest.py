"""Shared fixtures: the seed page, a fresh store, and the command line run in-process."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from veille.cli import main

DATA = Path(__file__).parent / "data"
SEED = DATA / "seed" / "lorient-haftar-moscou.txt"
SEED_EXPECTED = DATA / "seed" / "lorient-haftar-moscou.expected.json"
SAMPLES = Path(__file__).parent.parent / "data" / "samples"
pytest_plugins = ["tests.api.stores"]  # the sample store fixture shared by the API and browser tests


@dataclass
class CliResult:
    """What one run of the command line printed and returned."""

    code: int
    out: str
    err: str

    def jsonl(self) -> list[dict]:
        """Return stdout parsed as JSON Lines."""
        return [json.loads(line) for line in self.out.splitlines() if line.strip()]


@pytest.fixture
def cli(capsys):
    """Run `veille ARGS...` in this process and return its exit code and output."""
    def run(*args: str) -> CliResult:
        code = 0
        try:
            main([str(arg) for arg in args])
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)
    return run


@pytest.fixture
def db(tmp_path) -> str:
    """Return the path of a fresh (not yet created) store."""
    return str(tmp_path / "test.duckdb")


@pytest.fixture(scope="session")
def seed_expected() -> dict:
    """Return the hand-made record of the seed page."""
    return json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))
