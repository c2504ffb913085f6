# The two commands of the README. Each creates .venv on first use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-test

.PHONY: lab test test-fast notebooks exercises clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e .
	touch $@

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

## make lab: set up and open the course in JupyterLab
lab: $(VENV)/.installed
	$(BIN)/netedu lab

## make test: set up and run every test (unit, doctests, notebooks, exercises, browser)
test: $(STAMP)
	tools/ensure-system-deps
	tools/run-tests

## make notebooks: rebuild notebooks/ and solutions/ from src/, with outputs
notebooks: $(STAMP)
	$(BIN)/python tools/nbbuild.py --all

## make exercises: regenerate exercises/ from solutions/
exercises: $(STAMP)
	$(BIN)/netedu make-exercises

clean:
	rm -rf $(VENV) test-artifacts
