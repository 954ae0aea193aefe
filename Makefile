# BookMe: `make run` starts the app with demo data, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test test-deep bench lint format venv install install-test chromium db clean translations axe

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

translations: install
	$(BIN)/pybabel -q compile -d translations

# axe-core for the accessibility checks of the browser tests, into the git-ignored artifacts folder.
AXE_VERSION := 4.10.2
AXE := test-artifacts/vendor/axe-core-$(AXE_VERSION)/axe.min.js
axe: $(AXE)
$(AXE):
	mkdir -p $(dir $(AXE))
	cd $(dir $(AXE)) && (npm pack --silent axe-core@$(AXE_VERSION) >/dev/null \
		&& tar -xzf axe-core-$(AXE_VERSION).tgz --strip-components=1 package/axe.min.js \
		&& rm axe-core-$(AXE_VERSION).tgz) \
		|| echo "axe-core could not be fetched: the browser tests will skip their axe checks"

db: install translations
	$(FLASK) bookme init-db
	$(FLASK) bookme seed-demo

# Plain http on loopback: the session cookie cannot carry the Secure flag here (production keeps it).
run: db
	BOOKME_INSECURE_COOKIES=1 BOOKME_ISSUER=$${BOOKME_ISSUER:-http://127.0.0.1:$(PORT)} \
		BOOKME_LOG_FORMAT=$${BOOKME_LOG_FORMAT:-console} $(FLASK) run --host 127.0.0.1 --port $(PORT)

chromium:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = "0" ]; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || exit 1; \
	else \
		echo "Chromium is missing: run 'sudo apt-get install -y chromium' for the browser tests."; \
	fi

test: install-test chromium translations axe
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The engine against its slow reference (tests/reference) over 20 000 random scenarios, not 200.
DEEP_EXAMPLES ?= 20000
test-deep: install-test
	BOOKME_DIFF_EXAMPLES=$(DEEP_EXAMPLES) $(BIN)/python -m pytest -q -p no:cacheprovider \
		tests/unit/test_engine_differential.py $(PYTEST_ARGS)

bench: install-test
	$(BIN)/python bench/availability.py
	@if [ -f bench/booking.py ]; then $(BIN)/python bench/booking.py; fi

lint: install-test
	$(BIN)/ruff check app tests bench
	$(BIN)/ruff format --check app tests bench
	$(BIN)/mypy app

format: install-test
	$(BIN)/ruff format app tests bench
	$(BIN)/ruff check --fix app tests bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
