# Partnerpost: `make run` serves the demo portal, `make test` runs every test.
# Both set up what they need: a virtual environment in .venv, the locked
# dependencies, the database and (for tests) the browser tools.

PYTHON ?= python3
PORT ?= 8000
# Exported, so that the site, the task worker and every link they write (SITE_URL follows PORT unless set) agree.
export PORT
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run serve test test-postgres browser-tools clean help

help:
	@echo "make run      serve the demo portal at http://127.0.0.1:$(PORT) (PORT=8080 make run to change)"
	@echo "make test     run every test (SQLite; DATABASE_URL=postgres://... for PostgreSQL)"
	@echo "make serve    serve with the production WSGI server (granian)"
	@echo "make clean    remove the virtual environment and local data"

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Partnerpost needs Python 3.11 or newer; this is " + sys.version.split()[0] + ". Set PYTHON=python3.12 (or similar).")'
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV) || { echo "Could not create a virtual environment. On Debian or Ubuntu: apt-get install python3-venv"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e . 2>/dev/null || $(BIN)/python -m pip install --quiet --no-deps -e .
	@sh scripts/system-libs.sh $(BIN)/python
	@touch $@

var:
	@mkdir -p var

run: $(STAMP) var
	$(BIN)/partnerpost migrate --noinput
	$(BIN)/partnerpost demo load
	@echo ""
	@echo "Partnerpost is starting at http://127.0.0.1:$(PORT)/  (Ctrl-C stops it)"
	@echo "Sign in at http://127.0.0.1:$(PORT)/accounts/login/ with a demo account above."
	@echo "The task worker (scheduled publishing, scheduled sends, queued jobs) and the sending worker run beside it and stop with it."
	@$(BIN)/partnerpost tasks --verbosity 0 worker & worker=$$!; \
	$(BIN)/partnerpost worker >/dev/null & sender=$$!; \
	trap 'kill $$worker $$sender 2>/dev/null; wait $$worker $$sender 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	$(BIN)/partnerpost runserver 127.0.0.1:$(PORT)

serve: $(STAMP) var
	$(BIN)/partnerpost migrate --noinput
	$(BIN)/partnerpost serve --port $(PORT)

browser-tools:
	@sh scripts/browser-tools.sh

test: $(STAMP) var browser-tools
	$(BIN)/lint-imports
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var node_modules
