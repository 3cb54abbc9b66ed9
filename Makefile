# Two commands do all of the setup on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: demo test test-fast bench install clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: $(VENV)/.installed
	$(PY) -m devtools.demo

# The PostgreSQL run: storage, copy-db and an integration subset, each test on a fresh database
# of a throwaway server (devtools/postgres.py). Without the server binaries it is skipped, with
# the reason printed, unless COPBOT_REQUIRE_POSTGRES=1 (CI), which makes that a failure.
PG_TESTS := tests/test_storage.py tests/test_copy_db.py tests/test_postgres.py tests/test_workshops.py tests/test_prompts.py \
	tests/test_checkins.py tests/test_summaries.py tests/test_consult.py \
	tests/test_workshops_synapse.py tests/test_consult_synapse.py

test: $(VENV)/.installed
	$(PY) -m pytest -q
	COPBOT_TEST_DATABASE=postgres $(PY) -m pytest -q -rs $(PG_TESTS)

# The quick loop: every test that needs no Synapse (fake client, SQLite, frozen clock), about
# 1.5 minutes on 2 cores. `make test` is still what CI runs.
test-fast: $(VENV)/.installed
	$(PY) -m pytest -q -m "not synapse"

.PHONY: test-postgres
test-postgres: $(VENV)/.installed
	COPBOT_TEST_DATABASE=postgres $(PY) -m pytest -q -rs $(PG_TESTS)

# Against a throwaway Synapse: the floor bot, latency, a burst, 200 communities, scheduling, summaries.
# About 16 minutes on 2 cores (8 of them Synapse persisting room joins); prints a table, writes bench/results.json.
bench: $(VENV)/.installed
	$(PY) -m bench.matrix_bench

clean:
	rm -rf $(VENV) .pytest_cache
