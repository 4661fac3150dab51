# Steward: `make run` starts the bot with demo data; `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format bench chat walkthrough slipping quarter clean help

help:
	@echo "make run     set up and start Steward on 127.0.0.1:3978 with the demo portfolio"
	@echo "make test    set up and run the whole test suite on every core (SQLite, plus PostgreSQL when reachable;"
	@echo "             installs Debian's chromium for the tab's browser tests when it is missing)"
	@echo "make lint    ruff (lint and format) and mypy (strict on commissioning/)"
	@echo "make walkthrough   play one month of the cycle in the console (examples/month-walkthrough.chat)"
	@echo "make slipping   play a month that slips: reminders and escalations as the clock moves (examples/slipping-month.chat)"
	@echo "make quarter    close a quarter: KPI return, KPI card, evidence checklist, payment approved, a plan (examples/quarter-end.chat)"
	@echo "make chat AS=priya chat with Steward in the terminal as someone from the demo portfolio"
	@echo "make bench   run the benchmarks under bench/ (BENCH_ARGS=--quick for a short run)"
	@echo "make clean   remove the virtual environment and the local database"

# The venv is rebuilt only when pyproject.toml changes, so a second `make run` starts in seconds.
$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed: install it, or run 'make PYTHON=/path/to/python3.11'"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/steward serve --demo

# The tab's browser tests drive Debian's Chromium (Playwright, no browser download): installed once, when
# missing. If it cannot be installed, those tests are skipped and say why; everything else still runs.
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	-apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
		|| echo "Chromium could not be installed: the tab's browser tests will be skipped"

test: $(STAMP) $(CHROMIUM)
	$(BIN)/python -m pytest -q -n auto

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

AS ?= priya
chat: $(STAMP)
	$(BIN)/steward chat --fresh --as $(AS)

walkthrough: $(STAMP)
	$(BIN)/steward chat --fresh --script examples/month-walkthrough.chat

slipping: $(STAMP)
	$(BIN)/steward chat --fresh --script examples/slipping-month.chat

quarter: $(STAMP)
	$(BIN)/steward chat --fresh --script examples/quarter-end.chat

# The bench extra adds the Agents SDK baseline; if it cannot be installed, the bench runs without that row.
BENCH_STAMP := $(VENV)/.bench-installed
$(BENCH_STAMP): pyproject.toml | $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]' && touch $(BENCH_STAMP) || echo "bench extra not installed: no Agents SDK row"

bench: $(STAMP) $(BENCH_STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) steward.db steward.db-wal steward.db-shm
