# Two commands for users: `make demo` and `make test`. Everything else is for developers.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo serve test test-services lint format lock bench clean messages

$(STAMP): requirements.lock pyproject.toml
	@test -x $(PY) || "$$(bin/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# The lock is complete and hashed; --no-deps keeps pip from re-resolving it.
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements.lock
	@touch $(STAMP)

install: $(STAMP)

# seed_demo seeds the demo program only if it is not there yet and prints its logins either way.
demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py seed_demo --serve-address $(HOST):$(PORT)
	$(PY) manage.py runserver $(HOST):$(PORT)

# One pytest process per CPU (pytest-xdist); PYTEST_WORKERS=0 runs the suite in this process.
PYTEST_WORKERS ?= auto
test: install
	$(PY) -m pytest --numprocesses $(PYTEST_WORKERS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Regenerates the hashed lock from pyproject.toml (needs network).
lock: install
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --python-version 3.12 --generate-hashes -o requirements.lock

# Its own database unless DATABASE_URL is set; e.g. make bench BENCH_ARGS="--only pages".
bench: install
	@mkdir -p bench-results
	DATABASE_URL="$${DATABASE_URL:-sqlite:///$(CURDIR)/bench-results/bench.sqlite3}" \
		$(PY) manage.py bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache staticfiles

# Updates the translation catalogues from the code and compiles them (needs GNU gettext).
messages: install
	$(PY) manage.py makemessages --all --no-location --ignore='tests/*' --ignore='bench-results/*' --ignore='staticfiles/*' --ignore='media/*'
	$(PY) manage.py compilemessages --ignore='.venv'
