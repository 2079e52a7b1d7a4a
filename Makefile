# babelwire developer commands. Quick start: `make demo`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA ?= ../shared/data
PYTEST_WORKERS ?= auto
DB ?= babelwire.db
PORT ?= 8000

.PHONY: install demo test test-fast lint eval bench docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/babelwire --db $(DB) ingest --sample
	@echo "serving http://127.0.0.1:$(PORT)/ (Ctrl-C stops)"
	$(BIN)/babelwire --db $(DB) serve --host 127.0.0.1 --port $(PORT)

test: $(STAMP) lint
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --slow -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) -q

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts
	$(BIN)/mypy

eval: $(STAMP)
	$(BIN)/babelwire eval-report $(DATA) -o docs/EVALUATION.md

docs: $(STAMP)
	$(BIN)/python scripts/cli_reference.py

bench: $(STAMP)
	$(BIN)/babelwire bench encoder --texts 200 --report docs/BENCHMARKS.md
	if [ -d $(DATA) ]; then $(BIN)/babelwire bench faithfulness $(DATA)/langid/udhr.jsonl \
		$(DATA)/ner/*-dev.jsonl --texts 1000 --report docs/FAITHFULNESS.md; fi

clean:
	rm -rf $(VENV) babelwire.db babelwire.db-wal babelwire.db-shm
