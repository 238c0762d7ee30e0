"""Defaults shared by the command line and the library, kept in one place so both agree."""

import os

DEFAULT_DB = "veille.duckdb"
# Pages per committed transaction: small enough that a kill loses little, large enough
# that commits cost little (store writes run at ~170 pages/s in batches of 64,
# docs/performance.md).
DEFAULT_BATCH = 64
DEFAULT_MAX_BYTES = 50 * 1024 * 1024  # 50 MB: larger than any real news page, small enough for RAM
# DuckDB's memory limit for the store writer. Unset, DuckDB caches up to 80% of RAM and
# an ingest's memory grows with the corpus (2.2 GB after 2 GB of pages); at 256MB it stays
# under about 1 GB whatever the corpus size (docs/performance.md). VEILLE_DUCKDB_MEMORY sets it.
WRITER_MEMORY = os.environ.get("VEILLE_DUCKDB_MEMORY", "256MB")
