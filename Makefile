# babelwire developer commands. Quick start: `make demo`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA ?= ../shared/data
PYTEST_WORKERS ?= auto

.PHONY: install demo test test-fast lint eval bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	-$(BIN)/babelwire --db babelwire.db ingest --sample
	$(BIN)/babelwire --db babelwire.db stats
	@echo "serving http://127.0.0.1:8000/ (Ctrl-C stops)"
	$(BIN)/babelwire --db babelwire.db serve --host 127.0.0.1 --port 8000

test: $(STAMP) lint
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --slow -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) -q

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/mypy

eval: $(STAMP)
	$(BIN)/babelwire eval-report $(DATA) -o docs/EVALUATION.md

bench: $(STAMP)
	@echo "no benchmarks yet: the encoder benchmark lands with issue 3"

clean:
	rm -rf $(VENV) babelwire.db babelwire.db-wal babelwire.db-shm
