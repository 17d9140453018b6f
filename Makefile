# Two entry points: `make demo` and `make test`. Each creates .venv when missing.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check

.PHONY: demo test test-quick mutation lint bench clean browser

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
# (CI is). In CI (CI=true) a failed install fails the target, and so `make test`; elsewhere
# the reason is printed and that one test is skipped (pytest -rs shows it).
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && apt-get update -qq && \
	     DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; then :; \
	  elif [ -n "$$CI" ] && [ "$$CI" != false ] && [ "$$CI" != 0 ]; then \
	    echo "Chromium could not be installed: the report's browser test cannot run in CI" >&2; exit 1; \
	  else echo "Chromium not available: the report's browser test will be skipped"; fi; }

# Both cores (pytest-xdist): the suite is one core's work at a time otherwise. Whole files stay on one
# worker (--dist loadfile), so a module's fixture is computed once. Not in pyproject's addopts: mutmut
# (make mutation) and a single `pytest tests/test_x.py` run in one process.
XDIST = -n 2 --dist loadfile

test: $(DEV_STAMP) browser
	$(BIN)/python -m pytest -q $(XDIST)

# The quick loop: every test not marked slow (pyproject markers), under a minute on an idle 2-core machine.
test-quick: $(DEV_STAMP)
	$(BIN)/python -m pytest -q -m "not slow" $(XDIST)

# Mutation testing of the core modules (mutation/run.py; not part of `make test`): the score per
# module, survivors by name. MODULES="io travel" runs some; MUTATION_ARGS="--max-children 1" one mutant at a
# time (a shared machine); equivalents in mutation/equivalent.txt.
mutation: $(DEV_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[mutation]'
	$(BIN)/python mutation/run.py $(MODULES) $(MUTATION_ARGS)

lint: $(DEV_STAMP)
	$(BIN)/ruff check planner models tests bench

clean:
	rm -rf $(VENV) outputs/demo .pytest_cache
