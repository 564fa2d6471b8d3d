# Renouveau du Bassin Minier — `make help` lists the commands.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The public address of `make run` / `make serve-prod`: links in mails, feeds and the Site record.
SITE_URL ?= http://127.0.0.1:$(PORT)
MANAGE := $(PY) manage.py
# `make serve-prod`'s own Redis (production needs a shared cache).
REDIS_PORT ?= 6390

.DEFAULT_GOAL := help

help: ## List the commands
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-14s %s\n", $$1, $$2}'

# uv installs the locked packages in seconds where pip takes minutes (parallel downloads, no
# per-package build step); it comes from PyPI like the rest, so Python is all `make run` needs.
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.9

$(UV):
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "Installation de l'installateur uv…"
	$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# The packages come from uv.lock (hashes checked, `--locked` refuses a lock older than
# pyproject.toml): the site's with the demo loaders' (`make run`, `make serve-prod`), then the
# tests' on top (`make test`). `--inexact` keeps what the other targets installed (and uv itself).
UV_SYNC := UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --locked --inexact --python $(PY)

$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	@echo "Installation des paquets Python du site…"
	$(UV_SYNC) --no-default-groups --group demo
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	@echo "Installation des paquets Python des tests…"
	$(UV_SYNC) --no-default-groups --group demo --group test
	@touch $@

node_modules/.installed: package.json package-lock.json
	@echo "Installation des paquets npm (Leaflet, axe-core)…"
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install-site: $(VENV)/.installed node_modules/.installed ## Create the virtualenv and install the site's Python and npm packages

install: install-site $(VENV)/.installed-test ## The same, with the packages of the tests and tools

chromium: ## Install Debian's chromium for the browser tests when it is missing
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

redis: ## Install Debian's redis-server (the tests start their own) when it is missing
	@command -v redis-server >/dev/null || test -x /usr/bin/redis-server || \
	  (apt-get update -qq && apt-get install -y -qq redis-server >/dev/null)

nginx: ## Install Debian's nginx (the production-topology tests' TLS proxy) when it is missing
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || (apt-get update -qq && \
	  (apt-get install -y -qq nginx-light || apt-get install -y -qq nginx) >/dev/null)

run: export SITE_URL := $(SITE_URL)
run: install-site ## Run the site with demo content, the task worker and the scheduler on http://127.0.0.1:$(PORT)
	$(MANAGE) prepare_dev_site
	@echo "Site : $(SITE_URL)/  (Ctrl-C arrête le serveur, le worker et le planificateur)"
	@# The worker and the scheduler start niced, so that the web server (its checks already
	@# passed in prepare_dev_site) gets the CPU first. Ctrl-C stops the three by their pids,
	@# once: the trap clears itself first (`kill 0` signalled this shell too and re-entered it).
	@stop() { trap - INT TERM EXIT; kill $$pids 2>/dev/null; wait 2>/dev/null; }; \
	trap 'stop; exit 0' INT TERM; trap stop EXIT; \
	$(MANAGE) runserver --skip-checks 127.0.0.1:$(PORT) & pids=$$!; \
	nice -n 10 $(MANAGE) db_worker --queue-name '*' & pids="$$pids $$!"; \
	nice -n 10 $(MANAGE) run_scheduler & pids="$$pids $$!"; \
	wait

serve-prod: install-site redis ## Production settings locally, through the Procfile (honcho): release, then web (gunicorn, WEB_WORKERS), worker and scheduler
	@createdb -h 127.0.0.1 -U postgres renouveau 2>/dev/null || true
	@# The same Procfile as a real deployment (DEPLOY.md): the release step first (npm packages,
	@# collectstatic, migrate, Site record), then the processes. A Redis of its own on
	@# REDIS_PORT unless REDIS_URL names one: production refuses a per-process cache.
	@export DJANGO_SETTINGS_MODULE=renouveau.settings.production \
	  DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/renouveau} \
	  SECRET_KEY=$${SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')} \
	  ALLOWED_HOSTS=$${ALLOWED_HOSTS:-127.0.0.1,localhost} SECURE_SSL_REDIRECT=false \
	  SERVE_MEDIA_LOCALLY=1 SITE_URL=$(SITE_URL) PORT=$(PORT) BIND_ADDRESS=127.0.0.1 \
	  REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:$(REDIS_PORT)/0} PATH="$(CURDIR)/$(VENV)/bin:$$PATH"; \
	pids=""; stop() { trap - INT TERM EXIT; kill $$pids 2>/dev/null; wait 2>/dev/null; }; \
	trap 'stop; exit 0' INT TERM; trap stop EXIT; \
	if [ "$$REDIS_URL" = "redis://127.0.0.1:$(REDIS_PORT)/0" ]; then \
	  redis-server --port $(REDIS_PORT) --bind 127.0.0.1 --save '' --appendonly no >/dev/null & \
	  pids=$$!; fi; \
	$(VENV)/bin/honcho start release && $(MANAGE) load_demo_content -v0 && \
	{ $(VENV)/bin/honcho start web worker scheduler & pids="$$pids $$!"; wait $$!; }

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

lock: $(UV) ## Refresh uv.lock (every group, hashed) and requirements.lock (production's packages, hashed, for pip) from pyproject.toml
	$(UV) lock
	$(UV) export --frozen --no-default-groups --no-emit-project --format requirements-txt \
	  --output-file requirements.lock --quiet

bench: install ## Run the benchmarks in bench/ (they print their figures)
	@for script in bench/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

.PHONY: help install-site install chromium nginx redis run serve-prod test format lock bench
