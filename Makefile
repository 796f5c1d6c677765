# meshdocs: the quick start is `make site` then `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
AXE    := tests/axe/node_modules/axe-core/axe.min.js
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test system-deps site-deps lint serve bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## Build the embedded default registry and content into site/.
site: $(STAMP) site-deps
	$(BIN)/meshdocs build

## Debian packages the site build runs (scripts/site-packages.txt: Graphviz), installed only when missing.
site-deps:
	@bash scripts/system-deps.sh scripts/site-packages.txt

## Debian packages the tests run (tests/system-packages.txt), installed only when missing.
system-deps:
	@bash scripts/system-deps.sh tests/system-packages.txt

## The whole suite: lint, then every test.
test: $(STAMP) system-deps .typecheck/meshdocs $(AXE)
	$(BIN)/ruff check generator tests bench
	$(BIN)/ruff format --check generator tests bench
	$(BIN)/mypy
	$(BIN)/pytest -q

## axe-core (Deque's accessibility engine) for the browser tests, pinned by tests/axe/package-lock.json.
$(AXE): tests/axe/package-lock.json | system-deps
	cd tests/axe && npm ci --no-audit --no-fund --silent
	touch $@

## mypy reads the package by its installed name: generator/ is `meshdocs` (see pyproject.toml).
.typecheck/meshdocs:
	mkdir -p .typecheck && ln -sfn ../generator .typecheck/meshdocs

lint: $(STAMP)
	$(BIN)/ruff check generator tests bench

serve: $(STAMP)
	$(BIN)/meshdocs serve

## The figures in the README's Performance section (about 10 minutes on 2 cores).
bench: $(STAMP)
	$(BIN)/python bench/run.py --real-size --embedded --versions both

clean:
	rm -rf site site_src .pytest_cache
