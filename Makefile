# Two entry points: `make run` (install, then run congvan on data/raw) and
# `make test` (install with test extras, then pytest). Each makes its own .venv.
# `make bench` prints throughput figures on a generated archive (not a test);
# pass options with BENCH_ARGS, e.g. make bench BENCH_ARGS="--docs 3000".
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test evaluate bench clean-output ocr-tools

run: $(VENV)/.installed ocr-tools
	$(VENV)/bin/congvan run data/raw --out data/processed

# OCR of scanned pages and images: Debian's tesseract with its Vietnamese data, installed
# when missing; where it cannot be, scanned inputs stay needs_ocr rows and their tests skip.
ocr-tools:
	@command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx vie || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-vie >/dev/null) || \
	  echo "warning: tesseract could not be installed: scanned files stay needs_ocr, OCR tests skip"

# The report's browser test opens the page in headless Chromium (Debian's package),
# installed here when missing; where it cannot be, that one test skips and says why.
test: $(VENV)/.installed-test ocr-tools
	@command -v chromium >/dev/null || command -v chromium-browser >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || \
	  echo "warning: chromium could not be installed: the report's browser test will skip"
	$(VENV)/bin/ruff check pipeline
	$(VENV)/bin/mypy
	$(PY) -m pytest -q

# Accuracy on the dev corpora: dev, dev2, and dev2's held-back third beside the rest.
evaluate: $(VENV)/.installed
	@for c in dev dev2; do echo "== $$c"; $(VENV)/bin/congvan evaluate ../shared/corpus/$$c | tail -n 7; done
	@for p in rest held; do echo "== dev2 $$p"; $(VENV)/bin/congvan evaluate ../shared/corpus/dev2 --part $$p | tail -n 7; done

BENCH_ARGS ?=
bench: $(VENV)/.installed-bench
	$(PY) scripts/bench.py $(BENCH_ARGS)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml $(VENV)/bin/python
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/bin/python
	$(PY) -m pip install -q -e '.[test]'
	touch $(VENV)/.installed $@

$(VENV)/.installed-bench: $(VENV)/.installed
	$(PY) -m pip install -q psutil
	touch $@

clean-output:
	find data/processed -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
