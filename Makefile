# Every target sets up .venv itself; running one twice does nothing new.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: venv services lint test demo bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

services:
	bash scripts/services.sh

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: $(STAMP) services lint
	$(BIN)/python -m pytest

demo: $(STAMP)
	$(BIN)/assay demo

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf .assay bench/out .pytest_cache .mypy_cache .ruff_cache
