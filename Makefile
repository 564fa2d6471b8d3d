# Renouveau du Bassin Minier — `make help` lists the commands.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The public address of `make run` / `make serve-prod`: links in mails, feeds and the Site record.
SITE_URL ?= http://127.0.0.1:$(PORT)
MANAGE := $(PY) manage.py

.DEFAULT_GOAL := help

help: ## List the commands
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "Installation des paquets Python (quelques minutes la première fois)…"
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --disable-pip-version-check --progress-bar on -c requirements.lock ".[test]"
	@touch $@

node_modules/.installed: package.json package-lock.json
	@echo "Installation des paquets npm (Leaflet, axe-core)…"
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(VENV)/.installed node_modules/.installed ## Create the virtualenv and install Python and npm packages

chromium: ## Install Debian's chromium for the browser tests when it is missing
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

redis: ## Install Debian's redis-server (the tests start their own) when it is missing
	@command -v redis-server >/dev/null || test -x /usr/bin/redis-server || \
	  (apt-get update -qq && apt-get install -y -qq redis-server >/dev/null)

nginx: ## Install Debian's nginx (the production-topology tests' TLS proxy) when it is missing
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || (apt-get update -qq && \
	  (apt-get install -y -qq nginx-light || apt-get install -y -qq nginx) >/dev/null)

run: export SITE_URL := $(SITE_URL)
run: install ## Run the site with demo content, the task worker and the scheduler on http://127.0.0.1:$(PORT)
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo_content
	$(MANAGE) ensure_dev_admin
	@echo "Site : $(SITE_URL)/  (Ctrl-C arrête le serveur, le worker et le planificateur)"
	@trap 'kill 0' INT TERM EXIT; \
	$(MANAGE) db_worker --queue-name '*' & \
	$(MANAGE) run_scheduler & \
	$(MANAGE) runserver 127.0.0.1:$(PORT) & \
	wait

serve-prod: install ## Production settings locally: gunicorn (WEB_WORKERS), whitenoise, DEBUG off, PostgreSQL
	@createdb -h 127.0.0.1 -U postgres renouveau 2>/dev/null || true
	@export DJANGO_SETTINGS_MODULE=renouveau.settings.production \
	  DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/renouveau} \
	  SECRET_KEY=$${SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')} \
	  ALLOWED_HOSTS=$${ALLOWED_HOSTS:-127.0.0.1,localhost} SECURE_SSL_REDIRECT=false \
	  SERVE_MEDIA_LOCALLY=1 SITE_URL=$(SITE_URL); \
	$(MANAGE) migrate --noinput && $(MANAGE) collectstatic --noinput -v0 && \
	$(MANAGE) load_demo_content -v0 && \
	trap 'kill 0' INT TERM EXIT; \
	$(MANAGE) db_worker --queue-name '*' & \
	$(MANAGE) run_scheduler & \
	$(VENV)/bin/gunicorn --pythonpath site renouveau.wsgi -w $${WEB_WORKERS:-4} \
	  -b 127.0.0.1:$(PORT) --access-logfile - & \
	wait

test: install chromium nginx redis ## Lint, check, and run the whole test suite (DATABASE_URL selects the database)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	PYTHONPATH=site:. $(VENV)/bin/lint-imports
	DJANGO_SETTINGS_MODULE=renouveau.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=renouveau.settings.test $(MANAGE) makemigrations --check --dry-run
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest $(PYTEST_ARGS)

format: install ## Format the code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

lock: ## Refresh requirements.lock from a clean install of pyproject.toml
	rm -rf /tmp/lock-venv && $(PYTHON) -m venv /tmp/lock-venv
	/tmp/lock-venv/bin/pip install --quiet ".[test]"
	/tmp/lock-venv/bin/pip freeze --exclude-editable | grep -v '^renouveau' > requirements.lock

bench: install ## Run the benchmarks in bench/ (they print their figures)
	@for script in bench/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

.PHONY: help install chromium nginx redis run serve-prod test format lock bench
