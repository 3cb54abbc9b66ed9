# Two commands do all of the setup on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: demo test bench install clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: $(VENV)/.installed
	$(PY) -m devtools.demo

test: $(VENV)/.installed
	$(PY) -m pytest -q

# Against a throwaway Synapse: the floor bot, latency, a burst, 200 communities, scheduling, summaries.
# About 16 minutes on 2 cores (8 of them Synapse persisting room joins); prints a table, writes bench/results.json.
bench: $(VENV)/.installed
	$(PY) -m bench.matrix_bench

clean:
	rm -rf $(VENV) .pytest_cache
