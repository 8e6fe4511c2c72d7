# The commands people and CI share. `make demo` and `make test` set up .venv themselves.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test bench lint format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	@echo "Installing matrixpub and its dependencies into $(VENV) (first run takes about a minute)..."
	@$(BIN)/python -m pip install --quiet -e '.[dev]' 2>&1 | { grep -v -e 'is ignored: it is neither' || true; }
	@$(BIN)/python -c 'import prefect, sqlmodel, console.cli' 
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/matrixpub demo

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/backbone.py
	$(BIN)/python bench/render.py
	$(BIN)/python bench/proofread.py
	$(BIN)/python bench/dispatch.py
	$(BIN)/python bench/website.py
	$(BIN)/python bench/cli.py
	$(BIN)/python bench/web.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
