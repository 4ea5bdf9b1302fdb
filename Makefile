# The two quick-start commands: `make demo` and `make test`. Everything else serves them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint install clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

## Simulator → `meltano run tap-freshdesk target-jsonl` → counts read back from the files.
demo: install
	$(BIN)/python -m demo

## Lint, type-check and the whole test suite (CI runs exactly this).
test: install lint
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check tap_freshdesk tests demo scripts
	$(BIN)/ruff format --check tap_freshdesk tests demo scripts
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .meltano output
