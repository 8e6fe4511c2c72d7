# The commands people and CI share. `make demo` and `make test` set up .venv themselves.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test bench lint format clean catalogs

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

# Messages for people: extract them, merge them into each language's catalog, compile.
# Translate the new entries in console/locale/*/LC_MESSAGES/matrixpub.po before compiling.
LOCALES := console/locale
ERROR_KEYWORDS := -k Refused -k InvalidInput -k NotFound -k Stale -k IntegrityError \
	-k MatrixpubError -k DeployError -k AuditKeyUnavailable -k ImageProblem -k LexiconProblem \
	-k InvalidSchedule
catalogs: $(STAMP)
	$(BIN)/pybabel extract -F $(LOCALES)/babel.cfg -k _ -k N_ -k ngettext:1,2 $(ERROR_KEYWORDS) \
		--no-location --sort-output --omit-header -o $(LOCALES)/matrixpub.pot .
	$(BIN)/pybabel update -i $(LOCALES)/matrixpub.pot -d $(LOCALES) -D matrixpub \
		--no-fuzzy-matching --ignore-obsolete --width 100
	$(BIN)/pybabel compile -d $(LOCALES) -D matrixpub --statistics

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
