# Two entry points: `make demo` and `make test`. Each creates .venv when missing.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check

.PHONY: demo test lint bench clean browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade pip

# What the product needs, nothing else: `make demo` stops here.
$(STAMP): $(BIN)/python pyproject.toml
	$(PIP) -e .
	touch $(STAMP)

# The test tools on top (pytest, hypothesis, icalendar, ruff, Ray for the executor tests): `make test`.
$(DEV_STAMP): $(STAMP)
	$(PIP) -e '.[dev]'
	touch $(DEV_STAMP)

# The demo report, with the headline's probability that today's staff suffices from 10 demand samples.
demo: $(STAMP)
	$(BIN)/planner demo --samples 10

# The report's browser test needs Chromium: installed here only when absent and we are root
# (CI is); elsewhere that one test is skipped and the rest of the suite runs.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) ; } || \
	  echo "Chromium not available: the report's browser test will be skipped"

test: $(DEV_STAMP) browser
	$(BIN)/python -m pytest -q

lint: $(DEV_STAMP)
	$(BIN)/ruff check planner models tests bench

clean:
	rm -rf $(VENV) outputs/demo .pytest_cache
