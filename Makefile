# Dangjian KB. `make` sets everything up, validates the records and publishes dist/;
# `make test` runs the tests. Both work on a fresh machine with Python 3.11 and make.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
TEST_INSTALLED := $(VENV)/.installed-test

.DEFAULT_GOAL := all
.PHONY: all build validate test bench clean

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

build: $(INSTALLED)
	$(BIN)/dangjian build

validate: $(INSTALLED)
	$(BIN)/dangjian validate

test: $(TEST_INSTALLED)
	$(BIN)/python -m pytest

clean:
	rm -rf dist .cache .pytest_cache
