# BookMe: `make run` starts the app with demo data, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test test-deep bench lint format venv install install-test chromium nginx db clean translations axe prod-demo

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
# The outbox worker runs beside the server; with no BOOKME_SMTP_HOST it files every e-mail in the
# maildir instance/mail, shown at /dev/mail (docs/notifications.md).
run: db
	@export BOOKME_INSECURE_COOKIES=1 BOOKME_ISSUER=$${BOOKME_ISSUER:-http://127.0.0.1:$(PORT)} \
		BOOKME_LOG_FORMAT=$${BOOKME_LOG_FORMAT:-console}; \
	if [ -z "$$BOOKME_SMTP_HOST" ]; then \
		export BOOKME_MAIL_DIR=$${BOOKME_MAIL_DIR:-mail} BOOKME_DEV_MAIL_PAGE=1 BOOKME_WORKER_POLL_SECONDS=2; \
		echo "E-mails are not sent: they are shown at http://127.0.0.1:$(PORT)/dev/mail"; \
	fi; \
	$(FLASK) bookme worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

chromium:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = "0" ]; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || exit 1; \
	else \
		echo "Chromium is missing: run 'sudo apt-get install -y chromium' for the browser tests."; \
	fi

# nginx (Debian's package) for the topology test and `make prod-demo`; run unprivileged, never as a service.
nginx:
	@if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then :; \
	elif [ "$$(id -u)" = "0" ]; then \
		echo "Installing Debian's nginx for the topology test..."; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null) || exit 1; \
	else \
		echo "nginx is missing: run 'sudo apt-get install -y nginx' for the topology test."; \
	fi

# The production topology on loopback: a fresh PostgreSQL database, Redis, two gunicorn instances,
# the outbox worker and nginx in front (docs/operations.md). Ctrl-C stops it all.
prod-demo: install translations nginx  # PORT=8080 picks the proxy port
	$(BIN)/python scripts/prod_demo.py

test: install-test chromium nginx translations axe
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The engine against its slow reference (tests/reference) over 20 000 random scenarios, not 200.
DEEP_EXAMPLES ?= 20000
test-deep: install-test
	BOOKME_DIFF_EXAMPLES=$(DEEP_EXAMPLES) $(BIN)/python -m pytest -q -p no:cacheprovider \
		tests/unit/test_engine_differential.py $(PYTEST_ARGS)

bench: install-test
	$(BIN)/python bench/availability.py
	@if [ -f bench/booking.py ]; then $(BIN)/python bench/booking.py; fi
	$(BIN)/python bench/load.py

lint: install-test
	$(BIN)/ruff check app tests bench scripts
	$(BIN)/ruff format --check app tests bench scripts
	$(BIN)/mypy app

format: install-test
	$(BIN)/ruff format app tests bench scripts
	$(BIN)/ruff check --fix app tests bench scripts

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
