# The two set-up commands a fresh machine needs are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SHARED ?= ../shared

.PHONY: install demo test stress eval bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: install
	rm -f veille.duckdb veille.duckdb.wal
	$(BIN)/veille ingest data/samples --db veille.duckdb
	$(BIN)/veille stats --db veille.duckdb --examples 3
	$(BIN)/veille events --db veille.duckdb --limit 10
	$(BIN)/veille duplicates --db veille.duckdb --limit 5
	$(BIN)/veille stories --db veille.duckdb --limit 5
	@echo "Open the web UI on the demo store: $(BIN)/veille serve --db veille.duckdb  (then http://127.0.0.1:8000/)"

test: install
	$(BIN)/python -m pytest

# The reliability suite at full size: 100 MB pages, 1 GB WARC records, a million-line dump,
# 4 GB gzip bombs, 20 kill -9 trials, ten times the fuzzing examples (docs/reliability.md).
stress: install
	VEILLE_STRESS=1 $(BIN)/python -m pytest tests/reliability

eval: install
	$(BIN)/python -m eval --shared $(SHARED)

bench: install
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) veille.duckdb veille.duckdb.wal build src/*.egg-info
