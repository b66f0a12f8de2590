# Two commands for a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Where the screenshots come from when they are not fetched from their pinned URLs.
export APIFIT_IMGS_SOURCE ?= ../shared/imgs
# Material 9.8 prints its end-of-life notice on every build; the "Which engine builds the site"
# section of docs/how-it-works.md says what we do about it.
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test lint images chromium image-bytes bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# One stamp per set of extras, so that editing pyproject.toml reinstalls.
$(VENV)/.site-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.site-installed

images: $(VENV)/.site-installed
	$(BIN)/apifit images fetch

# The preview goes on when a screenshot cannot be obtained: the page shows a placeholder
# naming the fix instead (`make build` stays strict and fails).
serve: $(VENV)/.site-installed
	-$(BIN)/apifit images fetch
	$(BIN)/mkdocs serve -a 127.0.0.1:8000

build: images
	$(BIN)/apifit build

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The browser tests drive Debian's chromium; Playwright never downloads a browser.
chromium:
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

# html-validate checks the built pages (tests/site/test_html.py), at the version package-lock.json
# pins. Debian's nodejs (18 on bookworm) is enough when the machine has no node.
node_modules/.installed: package.json package-lock.json
	command -v npm >/dev/null || (apt-get update && apt-get install -y nodejs npm)
	npm ci --no-audit --no-fund
	touch $@

test: $(VENV)/.test-installed lint chromium node_modules/.installed
	$(BIN)/python -m pytest

# Image bytes a reader downloads per page at pixel ratio 1 and 2 (read by the benchmarks).
image-bytes: build chromium $(VENV)/.test-installed
	$(BIN)/python -m apifit.measure.pageweight site -o bench/results/image-bytes.json

# Not part of `make test`: timings belong in a report, not in pass/fail.
bench: images chromium $(VENV)/.test-installed
	$(BIN)/python bench/run.py

clean:
	rm -rf site .cache
