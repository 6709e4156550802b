# Everyday targets. `make run` and `make test` set everything up on a fresh clone.
SHELL := /bin/bash
PYTHON_BIN ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Two processes: the suite takes about two thirds of the time it takes in one.
PYTEST_ARGS ?= -n 2
WITH_SERVICES := $(PY) -m helpdesk.embedded --
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po */locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)
CHROMIUM := /usr/bin/chromium

.PHONY: setup run _run dev _dev test lint fmt browser migrate demo messages bench _bench clean stop

setup: $(VENV)/.installed static/vendor/.built $(MO_FILES)

# Python: a virtualenv with exactly the locked dependencies.
$(VENV)/.installed: requirements.lock
	@command -v $(PYTHON_BIN) >/dev/null || { echo "error: $(PYTHON_BIN) is required" >&2; exit 1; }
	test -x $(PY) || $(PYTHON_BIN) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

# Front-end packages from the npm registry, pinned by package-lock.json.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Design system, htmx, Chart.js, axe-core and the icon sprite (helpdesk/assets.py); the
# sprite holds the icons the templates name, so it is rebuilt when a template changes.
TEMPLATES := $(shell find . \( -name node_modules -o -name .venv -o -name staticfiles \) -prune -o -path '*/templates/*.html' -print)
static/vendor/.built: node_modules/.package-lock.json helpdesk/assets.py core/templatetags/ui.py $(TEMPLATES) | $(VENV)/.installed
	$(PY) -m helpdesk.assets static/vendor
	touch $@

# Compiled translations (gettext's msgfmt through Django).
%.mo: %.po
	msgfmt --check-format -o $@ $<

# Debian's Chromium for the browser tests; never a browser download.
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get install -y -qq chromium chromium-driver >/dev/null 2>&1 || \
	     (apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null)) ; \
	  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then \
	    sudo apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  fi; \
	fi
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$CI" = "true" ]; then echo "error: $(CHROMIUM) is missing and could not be installed" >&2; exit 1; \
	  else echo "warning: $(CHROMIUM) is missing; browser tests will be skipped" >&2; fi; \
	fi

# `make run`: the product as users see it (gunicorn, DEBUG off, collected static files).
run: setup staticfiles/staticfiles.json
	$(WITH_SERVICES) $(MAKE) --no-print-directory _run

_run:
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	PORT=$(PORT) $(PY) -m helpdesk.run

# `make dev`: Django's autoreloading server with DEBUG on, the worker and beat.
dev: setup
	$(WITH_SERVICES) $(MAKE) --no-print-directory _dev

_dev:
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	PORT=$(PORT) $(PY) -m helpdesk.run --dev

# Hashed static files and their manifest, rebuilt when a file under static/ or the
# installed packages change. collectstatic touches neither the database nor Redis, so it
# runs with addresses that are never connected to (and starts no embedded server).
staticfiles/staticfiles.json: $(VENV)/.installed static/vendor/.built $(shell find static -type f 2>/dev/null)
	DJANGO_SETTINGS_MODULE=helpdesk.settings.local DATABASE_URL=postgres://collect@127.0.0.1:1/collect \
	  REDIS_URL=redis://127.0.0.1:1/0 $(PY) manage.py collectstatic --noinput -v0
	touch $@

test: setup browser
	$(WITH_SERVICES) $(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(WITH_SERVICES) $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=helpdesk.settings.production SECRET_KEY=lint-only-$$(date +%s)-a-long-dummy-secret-key-for-checking \
	  ALLOWED_HOSTS=helpdesk.example DATABASE_URL=postgres://lint@127.0.0.1:1/lint REDIS_URL=redis://127.0.0.1:1/0 \
	  EMAIL_BACKEND=anymail.backends.test.EmailBackend \
	  $(PY) manage.py check --deploy --fail-level WARNING

fmt: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Root catalogue locale/ (templates/, helpdesk/, core/, customers/, messaging/, helpcenter/)
# plus one per app that keeps its own (makemessages files an app's strings under the app's
# locale/); fuzzy guesses are emptied so they get translated, never shipped as guesses.
# (An ignore pattern matches every folder of that name: templates/tickets must stay in.)
APP_CATALOGUES := tickets surveys loyalty
MAKEMESSAGES := makemessages -l de -l tr --no-obsolete --no-wrap
messages: setup
	$(PY) manage.py $(MAKEMESSAGES) -i node_modules -i .venv -i var -i staticfiles -i surveys -i loyalty
	for app in $(APP_CATALOGUES); do (cd $$app && $(CURDIR)/$(PY) $(CURDIR)/manage.py $(MAKEMESSAGES)); done
	for po in $(PO_FILES); do msgattrib --clear-fuzzy --empty --no-wrap -o $$po $$po; done

bench: setup
	$(WITH_SERVICES) $(MAKE) --no-print-directory _bench

_bench:
	$(PY) manage.py migrate --noinput
	$(PY) manage.py bench $(BENCH_ARGS)

# Stop embedded servers left running by a plain `manage.py` command.
stop:
	$(PY) -c "from helpdesk import embedded; embedded.redis_stop(); embedded.postgres_stop()"

clean: stop
	rm -rf $(VENV) node_modules static/vendor staticfiles var
