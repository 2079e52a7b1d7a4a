# babelwire developer commands. Quick start: `make demo`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA ?= ../shared/data
PYTEST_WORKERS ?= auto
DB ?= babelwire.db
PORT ?= 8000

.PHONY: install demo test test-fast lint eval bench docs ner-head clean reliability fuzz

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# SAMPLE: what `make demo` ingests instead of the bundled sample corpus (871 articles), e.g. a
# slice of it (tests/test_demo.py) or your own files.
SAMPLE ?=
demo: $(STAMP)
	$(BIN)/babelwire --db $(DB) ingest $(or $(SAMPLE),--sample)
	@echo "serving http://127.0.0.1:$(PORT)/ (Ctrl-C stops)"
	$(BIN)/babelwire --db $(DB) serve --host 127.0.0.1 --port $(PORT)

# --durations: the log names the slowest tests, so a CI run that grows past its budget says why.
test: $(STAMP) lint
	BABELWIRE_RELIABILITY_REPORT=docs/RELIABILITY.md $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --slow -q --durations=25

test-fast: $(STAMP)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) -q

# Issue 9: the tests marked reliability(area) (hostile inputs, fuzzing, crash safety, load,
# web security), slow ones included, write docs/RELIABILITY.md. FUZZ_SECONDS per atheris harness.
FUZZ_SECONDS ?= 60
reliability: $(STAMP)
	BABELWIRE_RELIABILITY_REPORT=docs/RELIABILITY.md BABELWIRE_FUZZ_SECONDS=$(FUZZ_SECONDS) \
		$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --slow -q -m reliability

# Longer fuzzing on demand; the corpus grows in fuzz-corpus/ (ignored by git), crashes land in
# fuzz-artifacts/. FUZZ_LONG_SECONDS per harness.
FUZZ_LONG_SECONDS ?= 1800
fuzz: $(STAMP)
	mkdir -p fuzz-artifacts
	for harness in feed warc html; do \
		PYTHONPATH=src $(BIN)/python scripts/fuzz_$$harness.py fuzz-corpus/$$harness \
			-max_total_time=$(FUZZ_LONG_SECONDS) -rss_limit_mb=2048 -timeout=120 \
			-artifact_prefix=fuzz-artifacts/$$harness- || exit 1; \
	done

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts
	$(BIN)/mypy

eval: $(STAMP)
	$(BIN)/babelwire eval-report $(DATA) -o docs/EVALUATION.md

# Retrain the shipped NER head from the NER train files (not the dev files), about 10 minutes on 2 cores.
NER_TRAIN = da-uner_ddt sv-uner_talbanken nb-norne nn-norne pt-uner_bosque hr-uner_set sr-uner_set \
	sk-uner_snk zh-uner_gsd zh-uner_gsdsimp
ner-head: $(STAMP)
	$(BIN)/babelwire train ner $(foreach f,$(NER_TRAIN),$(DATA)/ner/$(f)-train.jsonl) \
		--pooling mean --out src/babelwire/ner/models/ner-e5small-l8-mean-v4.npz

docs: $(STAMP)
	$(BIN)/python scripts/cli_reference.py

# bench web: a 1M-article synthetic store (about 3 GB, minutes to fill) in bench-web.db, kept
# for `babelwire bench web --reuse`; `make clean` removes it.
bench: $(STAMP)
	$(BIN)/babelwire bench encoder --texts 200 --report docs/BENCHMARKS.md
	rm -f bench-web.db bench-web.db-wal bench-web.db-shm
	$(BIN)/babelwire bench web --articles 1000000 --store bench-web.db --report docs/BENCHMARKS.md
	$(BIN)/babelwire bench cluster --sizes 10000,100000,1000000 --report docs/BENCHMARKS.md
	$(BIN)/babelwire bench pipeline --articles 120 --report docs/BENCHMARKS.md
	$(BIN)/babelwire bench quotes --workers 2 --report docs/BENCHMARKS.md
	# bench scale (issue 8): a throw-away PostgreSQL beside SQLite, stopped by its PID after.
	PG=$$($(BIN)/python scripts/postgres_test_cluster.py start) && \
	DSN=$$(echo "$$PG" | $(BIN)/python -c 'import json, sys; print(json.load(sys.stdin)["dsn"])') && \
	STOP=$$(echo "$$PG" | $(BIN)/python -c 'import json, sys; print(json.load(sys.stdin)["stop"])') && \
	{ $(BIN)/babelwire bench scale --articles 160 --repeats 2 --postgres "$$DSN" \
		--report docs/BENCHMARKS.md; status=$$?; $$STOP; exit $$status; }
	if [ -d $(DATA) ]; then $(BIN)/babelwire bench faithfulness $(DATA)/langid/udhr.jsonl \
		$(DATA)/ner/*-dev.jsonl --texts 1000 --report docs/FAITHFULNESS.md; fi

clean:
	rm -rf $(VENV) babelwire.db babelwire.db-wal babelwire.db-shm bench-web.db bench-web.db-wal bench-web.db-shm
