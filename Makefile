# Joint Education Registry: `make run` serves it locally, `make test` runs the suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup migrate seed bench bench-pages bench-resilience bench-load lint clean

run: setup
	$(MANAGE) migrate --noinput
	$(MANAGE) load_seeds --if-new
	$(MANAGE) ensure_admin
	@echo "Serving the registry on http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/admin/)"
	$(MANAGE) runserver $(HOST):$(PORT)

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Compiled translations (.mo, not committed) from the .po files in locale/, remade when a .po is newer.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))

setup: $(VENV)/.installed .env $(MO_FILES)

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

locale/%.mo: locale/%.po $(VENV)/.installed .env
	$(MANAGE) compilemessages --ignore=$(VENV) --ignore=tests --ignore=bench

# A local, random secret and debug mode for this checkout only; never committed.
.env:
	@printf 'DJANGO_SECRET_KEY=%s\nDJANGO_DEBUG=1\n' "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@
	@echo "Wrote .env with a new random DJANGO_SECRET_KEY."

bench: setup
	$(BIN)/python bench/run.py

bench-pages: setup
	$(BIN)/python bench/pages.py

# gunicorn on its own PostgreSQL, restarted under steady traffic (needs PostgreSQL 15's binaries).
bench-resilience: setup
	$(BIN)/python bench/resilience.py

# 100,000 programs on PostgreSQL (DATABASE registry_bench), gunicorn -w 2 under wrk beside a Fortunes page.
# Quick run: make bench-load BENCH_ARGS="--scale 0.05 --duration 3 --rounds 1"
bench-load: setup
	$(BIN)/python bench/load.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache staticfiles
