# Two entry points for a fresh machine with Python 3.11+ and make (see README.md):
#   make site  - set up .venv/ and build the site from notes/ into site/
#   make test  - set up .venv/ and run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test serve validate bench lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/python -m generator build --notes notes --site site

serve: $(STAMP)
	$(BIN)/python -m generator serve --notes notes

validate: $(STAMP)
	$(BIN)/python -m generator validate --notes notes --strict

test: $(STAMP)
	$(BIN)/python -m generator validate --notes notes --strict
	$(BIN)/mypy
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/bench_build.py $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check generator tests bench

clean:
	rm -rf site .site.* .pytest_cache
