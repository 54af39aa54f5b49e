# Two entry points: `make run` (install, then run congvan on data/raw) and
# `make test` (install with test extras, then pytest). Each makes its own .venv.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test evaluate clean-output

run: $(VENV)/.installed
	$(VENV)/bin/congvan run data/raw --out data/processed

test: $(VENV)/.installed-test
	$(PY) -m pytest -q

evaluate: $(VENV)/.installed
	$(VENV)/bin/congvan evaluate ../shared/corpus/dev

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml $(VENV)/bin/python
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/bin/python
	$(PY) -m pip install -q -e '.[test]'
	touch $(VENV)/.installed $@

clean-output:
	find data/processed -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
