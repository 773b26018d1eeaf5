# Two commands for a newcomer: `make run` and `make test`. Nothing else needs installing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := wsgi.py

.PHONY: run test test-postgres test-browser lint format translations-extract translations-update translations-compile clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# Demo mode: the demo accounts log in with the password alone (no two-factor step).
run: export MAATJES_DEMO_MODE := 1
run: $(STAMP)
	$(BIN)/flask db upgrade
	$(BIN)/flask maatjes demo
	@echo
	@echo "  Money Maatjes runs at http://$(HOST):$(PORT)/  (the scheduler runs beside it)"
	@echo
	@$(BIN)/flask maatjes scheduler & scheduler=$$!; \
	  trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/flask run --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest -q --ignore=tests/browser

# The same suite on PostgreSQL (default: the local server CI provides).
MAATJES_TEST_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
test-postgres: $(STAMP)
	MAATJES_TEST_DATABASE_URL=$(MAATJES_TEST_DATABASE_URL) $(BIN)/python -m pytest -q --ignore=tests/browser

# Headless Chromium at a phone's size; installs Debian's chromium when missing.
test-browser: $(STAMP)
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium package"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null \
	  || { echo "Could not install chromium (needs root and apt)"; exit 1; }; }
	$(BIN)/python -m pytest -q tests/browser

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

translations-extract: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output -w 100 -o maatjes/translations/messages.pot .

translations-update: translations-extract
	$(BIN)/pybabel update -i maatjes/translations/messages.pot -d maatjes/translations --no-fuzzy-matching -w 100

translations-compile: $(STAMP)
	$(BIN)/pybabel compile -d maatjes/translations --statistics

clean:
	rm -rf $(VENV) instance .pytest_cache
