# Every target uses the project's own environment in .venv/ (created by `make install`).
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
# The offline environment (no telemetry, no hub, passive OpenMP waits) is set by assistant/config.py.

.PHONY: install run chat index test check test-fast golden bench scale load soak probe calibrate eval screenshots clean deploy-local

install: $(STAMP)

# torch first, pinned: a bare `torch` requirement would download a multi-GB CUDA build.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e '.[st,test,pg]'
	touch $(STAMP)

index: install
	$(BIN)/policy-assistant index

run: install
	$(BIN)/policy-assistant index --if-stale
	$(BIN)/policy-assistant serve

chat: install
	$(BIN)/policy-assistant chat

eval: install
	$(BIN)/policy-assistant eval ../shared/eval/dev.jsonl

# `make test` prints its own time (pytest's summary line); test-fast leaves out what is marked slow
# (servers, browsers, subprocesses, real-embedding builds) and the sentence-transformers backend.
# Two worker processes (pytest-xdist): every test keeps its state in its own temporary directories
# and ports, and each worker builds its own session fixtures (index, server, PostgreSQL cluster).
# The modules with slow tests are collected first (tests/conftest.py) and `--dist worksteal` lets a
# worker that runs dry take half of the other's queue, so neither waits alone for a long test at
# the end. Embeddings computed by one session are kept for the next in .pytest_cache
# (tests/kept_vectors.py; PA_TEST_FRESH_VECTORS=1 computes every vector again).
test: install check
	$(BIN)/python -m pytest -n 2 --dist worksteal --durations=5

# Lint (pyflakes, complexity ≤ 25), the import contracts and mypy ([tool.mypy]) of pyproject.toml.
check: install
	$(BIN)/ruff check assistant ui scripts tests
	$(BIN)/lint-imports
	$(BIN)/mypy

test-fast: install
	$(BIN)/python -m pytest -m "not slow and not st and not browser"

# Rewrite the golden `ask --json` snapshots (tests/golden/) after an intended change; review the diff.
golden: install
	PA_UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_golden.py

bench: install
	$(BIN)/python scripts/bench.py

scale: install
	$(BIN)/python scripts/scale_bench.py --docs 200 --bm25 both
	$(BIN)/python scripts/scale_bench.py --docs 200 --chroma-server --no-cold

load: install
	$(BIN)/python scripts/load.py --users 20 --seconds 60 --api both
	$(BIN)/python scripts/load.py --users 20 --seconds 60 --think 1 --api json
	$(BIN)/python scripts/load_instances.py --users 20 --seconds 60 --kill-seconds 20

# PostgreSQL + a Chroma server + two instances + nginx on this machine (Debian's postgresql and
# nginx; .ci/run installs them). Ctrl-C stops everything; see deploy/.
deploy-local: install
	$(BIN)/python deploy/local.py

soak: install
	$(BIN)/python scripts/soak.py --calls 5000 --api both

probe: install
	$(BIN)/python scripts/probe.py

calibrate: install
	$(BIN)/python scripts/calibrate.py ../shared/eval/dev.jsonl tests/data/calibration.jsonl

# Every tab at 1400x1000 and 390x844 into docs/screenshots/ (needs Debian's chromium and chromium-driver).
screenshots: install
	$(BIN)/policy-assistant index --if-stale
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf index/chroma index/lexical.json index/manifest.json .pytest_cache
