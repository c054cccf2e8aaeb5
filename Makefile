# Orion: `make run` to try it, `make test` to check it. `make help` lists every target.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_DATA := $(CURDIR)/.orion-dev
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/orion_test
# Tests run in parallel, one process per core (each with its own database); TEST_WORKERS=0 runs them in one.
TEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -n $(TEST_WORKERS)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.DEFAULT_GOAL := help
.PHONY: help setup bytecode run dist-test test test-sqlite test-postgres lint validate bench stress dist clean

help: ## List the targets with one line each
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@# Qt (the console and its tests) needs a few system libraries that a bare machine lacks.
	@if command -v apt-get >/dev/null 2>&1 && ! ldconfig -p | grep -q libxcb-cursor.so.0; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 \
			libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 >/dev/null; fi
	@# The storefront journey test drives Debian's Chromium through Playwright (never a downloaded browser).
	@if command -v apt-get >/dev/null 2>&1 && ! command -v chromium >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi
	@# The accessibility tests inject axe-core, installed from tests/e2e/package-lock.json by npm ci.
	@if command -v apt-get >/dev/null 2>&1 && ! command -v npm >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; fi
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@$(MAKE) --no-print-directory bytecode
	@touch $(STAMP)

setup: $(STAMP) ## Create .venv and install Orion with its development tools

# pip compiles what it installs, but not an editable checkout; with PYTHONDONTWRITEBYTECODE set
# (as on this machine) every start would compile Orion's ~500 modules again (about 15 % of a
# worker's start). Python still recompiles, in memory, any file edited since.
bytecode: ## Compile Orion's own modules to bytecode (done by setup and bench)
	@$(BIN)/python -m compileall -q -j 0 orion_server orion_desktop modules >/dev/null

run: $(STAMP) ## Set up development data with the demo; open the console (it starts the server), or serve headless without a display
	@mkdir -p $(DEV_DATA)
	@ORION_ENV=development ORION_DATA_DIR=$(DEV_DATA) $(BIN)/orion init --admin-email admin@orion.local --admin-password orion-admin-demo
	@ORION_ENV=development ORION_DATA_DIR=$(DEV_DATA) $(BIN)/orion demo
	@echo "Sign in to the admin as admin@orion.local / orion-admin-demo (development data only)."
	@ORION_ENV=development ORION_DATA_DIR=$(DEV_DATA) ORION_BASE_URL=http://127.0.0.1:$${PORT:-8000} $(BIN)/python -m orion_desktop.launch_dev --host 127.0.0.1 --port $${PORT:-8000}

test: $(STAMP) ## Run the whole test suite on SQLite and, when it is reachable, on PostgreSQL, side by side
	PG_TEST_URL=$(PG_TEST_URL) TEST_WORKERS=$(TEST_WORKERS) $(BIN)/python tests/support/run_suites.py

test-sqlite: $(STAMP) ## Run the test suite on SQLite
	$(PYTEST)

test-postgres: $(STAMP) ## Run the test suite on PostgreSQL ($$PG_TEST_URL)
	ORION_TEST_DATABASE_URL=$(PG_TEST_URL) $(PYTEST)

lint: $(STAMP) ## Check style with ruff
	$(BIN)/ruff check orion_server orion_desktop modules tests bench packaging

validate: $(STAMP) ## Check the modules against the architecture rules
	$(BIN)/orion validate

bench: $(STAMP) ## Storefront pages against a bare FastAPI floor (10,000 products), the dashboard at 100,000 orders, with wrk (BENCH_ARGS="--database-url ...")
	@if command -v apt-get >/dev/null 2>&1 && ! command -v wrk >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; fi
	@$(MAKE) --no-print-directory bytecode
	$(BIN)/python bench/run.py $(BENCH_ARGS)

stress: $(STAMP) ## Sign-in under attack, hostile input (100 examples per API operation, junk in every form), then the reliability campaign: kill -9 cycles, backup and 200 shoppers under load (about an hour)
	$(BIN)/python bench/stress.py $(BENCH_ARGS)
	$(BIN)/python bench/hostile.py $(BENCH_ARGS)
	$(BIN)/python bench/campaign.py $(CAMPAIGN_ARGS)

DIST ?= dist
dist: $(STAMP) ## Build the one-program installer (PyInstaller) into dist/orion/ and the Linux archive dist/orion-<version>-linux-<machine>.tar.gz
	$(BIN)/pip install -q -e '.[build]'
	$(BIN)/pyinstaller packaging/orion.spec --noconfirm --distpath $(DIST) --workpath build/pyinstaller
	$(BIN)/python packaging/make_archive.py --dist $(DIST)
	@echo "Built $(DIST)/orion/orion: run it to open the console, or '$(DIST)/orion/orion serve'."

dist-test: dist ## Build, then try the archive as an operator would (unpack, init, demo, serve, validate, console)
	ORION_DIST_ARCHIVE="$$(ls -t $(CURDIR)/$(DIST)/orion-*-linux-*.tar.gz | head -n1)" $(BIN)/pytest -p no:xdist -s tests/packaging/test_dist.py

clean: ## Remove the virtualenv, caches, the development data and build output
	rm -rf $(VENV) $(DEV_DATA) .pytest_cache .ruff_cache *.egg-info dist build
