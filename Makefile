# The two quick-start commands: `make demo` and `make test`. Everything else serves them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
BQ_VENV ?= .venv-bq
PG_VENV ?= .venv-pg
SQLITE_VENV ?= .venv-sqlite
# PyPI's target-sqlite (0.2.0, SQLAlchemy 1.2) fails at import on Python 3.10 and later: a 3.9
# from pyenv, else `python3.9` on PATH.
SQLITE_PYTHON ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.9*/bin/python3.9) python3.9)

.PHONY: demo test lint package install plugins e2e-install bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

## The Meltano plugins of meltano.yml (the tap, target-jsonl, target-csv, target-duckdb,
## target-postgres, target-bigquery) in .meltano/, installed by Meltano itself from PyPI.
plugins: .meltano/.installed

.meltano/.installed: meltano.yml $(BIN)/.installed
	$(BIN)/meltano install
	touch $@

## The end-to-end tests' tools: the plugins, the BigQuery emulator in its own venv with a
## private HOME holding the DuckDB extensions it loads at start, a PostgreSQL server (pgserver)
## in another, Meltano's PostgreSQL driver (its `postgres` extra) for a system database there,
## and PyPI's target-sqlite on Python 3.9 (tests/e2e/test_meltano_loaders_at_defaults.py).
e2e-install: plugins $(BQ_VENV)/.installed $(PG_VENV)/.installed $(BIN)/.meltano-postgres \
	$(SQLITE_VENV)/.installed

$(SQLITE_VENV)/.installed: scripts/e2e_sqlite.txt
	@command -v $(SQLITE_PYTHON) > /dev/null || { echo "target-sqlite 0.2.0 needs Python 3.9 \
	(it fails at import on 3.10+): install one (pyenv install 3.9) or set SQLITE_PYTHON"; exit 1; }
	$(SQLITE_PYTHON) -m venv $(SQLITE_VENV)
	echo '*' > $(SQLITE_VENV)/.gitignore
	$(SQLITE_VENV)/bin/python -m pip install --quiet -r scripts/e2e_sqlite.txt
	touch $@

$(BIN)/.meltano-postgres: $(BIN)/.installed
	$(BIN)/python -m pip install --quiet 'psycopg[binary]==3.3.9'
	touch $@

$(PG_VENV)/.installed: scripts/e2e_postgres.txt
	$(PYTHON) -m venv $(PG_VENV)
	echo '*' > $(PG_VENV)/.gitignore
	$(PG_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(PG_VENV)/bin/python -m pip install --quiet -r scripts/e2e_postgres.txt
	touch $@

$(BQ_VENV)/.installed: scripts/e2e_bigquery_emulator.txt
	$(PYTHON) -m venv $(BQ_VENV)
	echo '*' > $(BQ_VENV)/.gitignore
	$(BQ_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BQ_VENV)/bin/python -m pip install --quiet -r scripts/e2e_bigquery_emulator.txt
	platform=$$($(BQ_VENV)/bin/python -c "import duckdb; print(duckdb.sql('PRAGMA platform').fetchone()[0])") && \
	extensions=$(BQ_VENV)/home/.duckdb/extensions/v1.5.5/$$platform && \
	mkdir -p $$extensions && \
	cp $(BQ_VENV)/lib/python3*/site-packages/duckdb_extension_*/extensions/v1.5.5/*.duckdb_extension $$extensions/
	touch $@

## Simulator → `meltano run tap-freshdesk target-duckdb` → row counts read back from DuckDB.
demo: plugins
	$(BIN)/python -m demo

## Lint, type-check, build the package and the whole test suite, end-to-end tests included
## (CI runs exactly this). Two pytest-xdist workers: the tests mostly wait on the tap's
## process, Meltano and the simulator, so two halve the time on two cores. A test file runs
## whole in one worker (`--dist loadfile`): its module and class fixtures are set up once.
test: install e2e-install lint package
	$(BIN)/python -m pytest -n 2 --dist loadfile --durations=15

## The sdist and wheel PyPI would get, in dist/, checked as PyPI checks them.
package: install
	rm -rf dist
	$(BIN)/python -m build --outdir dist . > dist.log 2>&1 || (cat dist.log; rm -f dist.log; exit 1)
	rm -f dist.log
	$(BIN)/twine check --strict dist/*

## Figures against singer-io and Airbyte on one simulated account (benchmarks/README.md);
## BENCH_ARGS=--quick for small sizes.
bench: install
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check tap_freshdesk tests devtools demo scripts benchmarks
	$(BIN)/ruff format --check tap_freshdesk tests devtools demo scripts benchmarks
	$(BIN)/mypy

clean:
	rm -rf $(VENV) $(BQ_VENV) $(PG_VENV) $(SQLITE_VENV) .meltano output dist
