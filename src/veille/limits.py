"""Defaults shared by the command line and the library, kept in one place so both agree."""

DEFAULT_DB = "veille.duckdb"
# Pages per committed transaction: small enough that a kill loses little, large enough
# that commits cost little (store writes run at ~170 pages/s in batches of 64,
# docs/performance.md).
DEFAULT_BATCH = 64
DEFAULT_MAX_BYTES = 50 * 1024 * 1024  # 50 MB: larger than any real news page, small enough for RAM
