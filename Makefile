# Every target uses the project's own environment in .venv/ (created by `make install`).
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
export ANONYMIZED_TELEMETRY=False
export HF_HUB_OFFLINE=1
export GRADIO_ANALYTICS_ENABLED=False

.PHONY: install run chat index test test-fast bench load calibrate eval clean

install: $(STAMP)

# torch first, pinned: a bare `torch` requirement would download a multi-GB CUDA build.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e '.[st,test]'
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

test: install
	$(BIN)/python -m pytest

test-fast: install
	$(BIN)/python -m pytest -m "not slow"

bench: install
	$(BIN)/python scripts/bench.py

load: install
	$(BIN)/python scripts/load.py --users 20 --seconds 60
	$(BIN)/python scripts/load.py --users 20 --seconds 60 --think 1

calibrate: install
	$(BIN)/python scripts/calibrate.py ../shared/eval/dev.jsonl tests/data/calibration.jsonl

clean:
	rm -rf index/chroma index/lexical.json index/manifest.json .pytest_cache
