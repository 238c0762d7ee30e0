"""The Ray engine: Ray Data maps the per-page pipeline over the input files, shard by shard.

The driver lists the input files and cuts them into shards of a few files. Ray Data hands
each shard to a worker actor (the models are loaded once per actor), which reads its files
with ``veille.sources``, runs ``process_page`` on every page and writes the results to one
Parquet file per shard. The driver loads the shards into the store in input order, with the
one writer, as they come back. A shard whose Parquet file exists is not run again, so a
stopped run resumes where it was. Scheduling, retries and data movement are Ray's.

``ray`` is an optional dependency (``pip install 'veille[ray]'``): it is imported inside
the functions, never at module level.
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from veille.errors import UsageError
from veille.limits import DEFAULT_BATCH
from veille.records import Article, Page, Reject
from veille.sources import SourceOptions, read_file
from veille.sources.files import STDIN, expand_paths

# 16 files or 32 MB of input a shard: enough work to hide a task's start (tens of ms) behind
# pages that take about 0.2 s each, small enough that a stopped run loses little.
SHARD_FILES = 16
SHARD_BYTES = 32 * 1024 * 1024
# Bump when the shard's columns or the pickled records change: older shards are then recomputed.
SHARD_FORMAT = 1


@dataclass(slots=True)
class Shard:
    """A few input files processed together; its name is a hash of what it was made from."""

    files: list[str]
    name: str = ""


@dataclass(slots=True)
class RayRun:
    """What a Ray run did: how many shards it computed and how many it found already written."""

    shards: int = 0
    computed: int = 0
    reused: int = 0
    folder: str = ""
    shard_names: list[str] = field(default_factory=list)


class RayEngine:
    """Run the per-page pipeline on Ray over the files of an input, writing Parquet shards."""

    def __init__(self, folder: str | Path, *, address: str | None = None, cpus: int | None = None,
                 shard_files: int = SHARD_FILES, shard_bytes: int = SHARD_BYTES):
        self.folder = Path(folder)
        self.address = address
        self.cpus = cpus
        self.shard_files = shard_files
        self.shard_bytes = shard_bytes
        self.last_run = RayRun(folder=str(self.folder))

    def results(self, paths: list[str], options: SourceOptions, boilerplate: dict[str, frozenset[str]],
                batch_size: int = DEFAULT_BATCH) -> Iterator[list[tuple[Page | None, Article | Reject]]]:
        """Yield the (page, result) pairs of every input page in input order, batch_size at a time."""
        require_ray()
        shards = self.plan(paths, options)
        self.folder.mkdir(parents=True, exist_ok=True)
        todo = [shard for shard in shards if not self.shard_path(shard).exists()]
        self.last_run = RayRun(len(shards), len(todo), len(shards) - len(todo), str(self.folder),
                               [shard.name for shard in shards])
        done = {shard.name for shard in shards} - {shard.name for shard in todo}
        finished = self._run(todo, options, boilerplate) if todo else iter(())
        try:
            for shard in shards:
                while shard.name not in done:
                    done.add(next(finished))
                yield from read_shard(self.shard_path(shard), batch_size)
        finally:
            if todo:
                finished.close()  # stops Ray now if this run started it

    def plan(self, paths: list[str], options: SourceOptions) -> list[Shard]:
        """Cut the input files into shards and name each by its files, their sizes and dates, and the options."""
        if STDIN in paths:
            raise UsageError("the Ray engine reads files, not stdin ('-'); save the input to a file first")
        shards = list(_cut(list(expand_paths(paths)), self.shard_files, self.shard_bytes))
        for shard in shards:
            shard.name = shard_name(shard.files, options)
        return shards

    def shard_path(self, shard: Shard) -> Path:
        """Return where a shard's Parquet file is written."""
        return self.folder / f"{shard.name}.parquet"

    def _run(self, todo: list[Shard], options: SourceOptions,
             boilerplate: dict[str, frozenset[str]]) -> Iterator[str]:
        """Compute the shards on Ray; yield each shard's name as its file is written."""
        import ray

        started_here = not ray.is_initialized()
        if started_here:
            _start_ray(self.address, self.cpus)
        try:
            yield from _map_shards(todo, self.folder, options, boilerplate, self._actors())
        finally:
            if started_here:
                ray.shutdown()

    def _actors(self) -> int:
        """Return how many worker actors to run: one per CPU of the cluster (or of --workers)."""
        import ray

        return max(1, self.cpus or int(ray.cluster_resources().get("CPU", 1)))


def require_ray() -> None:
    """Raise a usage error naming the extra to install when Ray Data is not installed."""
    import importlib.util

    if importlib.util.find_spec("ray") is None or importlib.util.find_spec("pyarrow") is None:
        raise UsageError("the Ray engine needs Ray Data: pip install 'veille[ray]' (or use --engine local)")


def _start_ray(address: str | None, cpus: int | None) -> None:
    """Connect to a Ray cluster at address, or start one on this machine with cpus CPUs."""
    import ray

    if not address:
        start_local_ray(cpus)
        return
    try:
        ray.init(address=address, log_to_driver=False)
    except ConnectionError as error:
        raise UsageError(f"cannot reach the Ray cluster at {address}: {error}; check --address") from error


def start_local_ray(cpus: int | None) -> None:
    """Start Ray on this machine, its workers at normal priority."""
    import ray

    # Ray runs its workers at nice 15 by default: on a laptop where they are the whole job,
    # any other busy process took most of their CPU (17 pages took 108 s on a loaded machine).
    os.environ.setdefault("RAY_worker_niceness", "0")
    ray.init(num_cpus=cpus, include_dashboard=False, log_to_driver=False)


def _map_shards(todo: list[Shard], folder: Path, options: SourceOptions,
                boilerplate: dict[str, frozenset[str]], actors: int) -> Iterator[str]:
    """Map ShardWorker over the shards with Ray Data; yield each shard's name when it is written."""
    import ray.data

    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False  # the CLI draws its own progress bar
    items = [{"name": shard.name, "files": json.dumps(shard.files)} for shard in todo]
    dataset = ray.data.from_items(items, override_num_blocks=len(items))
    dataset = dataset.map_batches(
        ShardWorker, batch_size=1, num_cpus=1, compute=ray.data.ActorPoolStrategy(size=min(actors, len(items))),
        fn_constructor_kwargs={"folder": str(folder), "options": asdict(options), "boilerplate": boilerplate})
    for row in dataset.iter_rows():
        yield row["name"]


class ShardWorker:
    """A Ray actor: load the models once, then process shards and write their Parquet files."""

    def __init__(self, folder: str, options: dict, boilerplate: dict[str, frozenset[str]]):
        from veille.nlp.models import preload_default_models

        preload_default_models()
        self.folder = Path(folder)
        self.options = SourceOptions(**options)
        self.boilerplate = boilerplate

    def __call__(self, batch: dict) -> dict:
        """Process each shard of a Ray Data batch; return the shards' names and page counts."""
        names, counts = [], []
        for name, files in zip(batch["name"], batch["files"]):
            counts.append(self.process_shard(str(name), json.loads(str(files))))
            names.append(str(name))
        return {"name": names, "pages": counts}

    def process_shard(self, name: str, files: list[str]) -> int:
        """Run the pipeline on every page of a shard's files and write them as one Parquet file."""
        with ShardFile(self.folder / f"{name}.parquet") as out:
            for path in files:
                for item in read_file(path, self.options):
                    out.add(item, self._process(item))
        return out.count

    def _process(self, item: Page | Reject):
        """Run the pipeline on a page, after telling it its site's learned boilerplate."""
        from veille.pipeline import process_page, site_of

        if isinstance(item, Reject):
            return item
        if item.format != "article":
            item.meta["boilerplate"] = self.boilerplate.get(item.site or site_of(item.url), frozenset())
        return process_page(item)


class ShardFile:
    """A shard's Parquet file, written in row groups and renamed into place only when complete."""

    ROWS_PER_GROUP = 64  # pages held in memory before a row group is written

    def __init__(self, path: Path):
        self.path = path
        self.partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        self.rows: list[dict] = []
        self.count = 0
        self.writer = None

    def __enter__(self) -> ShardFile:
        return self

    def add(self, item: Page | Reject, result) -> None:
        """Add one input item and its result; write a row group when enough are held."""
        page = item if isinstance(item, Page) else None
        self.rows.append(shard_row(self.count, page, result))
        self.count += 1
        if len(self.rows) >= self.ROWS_PER_GROUP:
            self._flush()

    def _flush(self) -> None:
        """Write the held rows as one row group."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pylist(self.rows, schema=shard_schema())
        if self.writer is None:
            self.writer = pq.ParquetWriter(self.partial, table.schema, compression="zstd")
        self.writer.write_table(table)
        self.rows = []

    def __exit__(self, kind, error, trace) -> None:
        if kind is None:
            self._flush()
            self.writer.close()
            os.replace(self.partial, self.path)  # atomic: a shard file is whole or absent
            return
        if self.writer is not None:
            self.writer.close()
        self.partial.unlink(missing_ok=True)


def shard_schema():
    """Return the columns of a shard: readable fields, then the pickled records."""
    import pyarrow as pa

    return pa.schema([("position", pa.int64()), ("id", pa.string()), ("source", pa.string()),
                      ("status", pa.string()), ("page", pa.binary()), ("result", pa.binary())])


def shard_row(position: int, page: Page | None, result) -> dict:
    """Return a shard's row for one input item: its place, id, source and status, and the records."""
    status = "rejected" if isinstance(result, Reject) else "article"
    return {"position": position, "id": getattr(result, "id", None), "source": result.source,
            "status": status, "page": pickle.dumps(page) if page is not None else None,
            "result": pickle.dumps(result)}


def read_shard(path: Path, batch_size: int) -> Iterator[list[tuple]]:
    """Yield a shard's (page, result) pairs, batch_size at a time, reading one row group at a time."""
    import pyarrow.parquet as pq

    with pq.ParquetFile(path) as shard:
        for records in shard.iter_batches(batch_size=batch_size, columns=["page", "result"]):
            pages, results = records.column("page").to_pylist(), records.column("result").to_pylist()
            yield [(pickle.loads(page) if page is not None else None, pickle.loads(result))
                   for page, result in zip(pages, results)]


def shard_name(files: list[str], options: SourceOptions) -> str:
    """Return a shard's name: a hash of its files (path, size, modification time), the options and the code."""
    from importlib.metadata import version

    parts = [f"format {SHARD_FORMAT}", f"veille {version('veille')}", json.dumps(asdict(options), sort_keys=True)]
    for path in files:
        parts.append(f"{os.path.abspath(path)}\x00{_signature(path)}")
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _signature(path: str) -> str:
    """Return a file's size and modification time (nothing when it cannot be read: its reject says why)."""
    try:
        info = os.stat(path)
    except OSError:
        return "missing"
    return f"{info.st_size}\x00{info.st_mtime_ns}"


def _cut(files: list[str], most_files: int, most_bytes: int) -> Iterator[Shard]:
    """Cut a list of files into consecutive shards of at most most_files files or most_bytes bytes."""
    shard, size = Shard([]), 0
    for path in files:
        length = _size(path)
        if shard.files and (len(shard.files) >= most_files or size + length > most_bytes):
            yield shard
            shard, size = Shard([]), 0
        shard.files.append(path)
        size += length
    if shard.files:
        yield shard


def _size(path: str) -> int:
    """Return a file's size in bytes (0 when it cannot be read)."""
    try:
        return os.path.getsize(path)
    except OSError:
        return 0
