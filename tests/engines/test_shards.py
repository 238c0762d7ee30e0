"""How the Ray engine cuts its input into shards and names them (no Ray needed)."""
from __future__ import annotations

import os

import pytest

from veille.engines.ray import RayEngine
from veille.errors import UsageError
from veille.sources import SourceOptions


def write_files(folder, sizes: list[int]) -> list[str]:
    """Write files of the given sizes; return their paths."""
    paths = []
    for i, size in enumerate(sizes):
        path = folder / f"page{i}.txt"
        path.write_text("x" * size)
        paths.append(str(path))
    return paths


def test_files_are_cut_into_shards_by_count_and_by_size_in_input_order(tmp_path):
    paths = write_files(tmp_path, [10, 10, 10, 10, 500, 10])
    engine = RayEngine(tmp_path / "shards", shard_files=3, shard_bytes=100)
    shards = engine.plan(paths, SourceOptions())
    assert [shard.files for shard in shards] == [paths[0:3], paths[3:4], paths[4:5], paths[5:6]]


def test_a_shard_name_is_stable_and_changes_with_its_files_and_the_options(tmp_path):
    paths = write_files(tmp_path, [10, 20])
    engine = RayEngine(tmp_path / "shards", shard_files=1)
    first = [shard.name for shard in engine.plan(paths, SourceOptions())]
    assert first == [shard.name for shard in engine.plan(paths, SourceOptions())]
    assert len(set(first)) == 2
    with open(paths[1], "a") as changed:
        changed.write("more")
    os.utime(paths[1], ns=(1, 1))
    renamed = [shard.name for shard in engine.plan(paths, SourceOptions())]
    assert renamed[0] == first[0] and renamed[1] != first[1]
    assert engine.plan(paths, SourceOptions(as_format="article"))[0].name != first[0]


def test_the_ray_engine_refuses_stdin(tmp_path):
    with pytest.raises(UsageError, match="stdin"):
        RayEngine(tmp_path / "shards").plan(["-"], SourceOptions())


def test_an_address_without_the_ray_engine_is_a_usage_error(cli, db):
    result = cli("ingest", "missing.html", "--db", db, "--address", "ray://head:10001")
    assert result.code != 0 and "--engine ray" in result.err
