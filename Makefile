# Two commands for a newcomer: `make run` and `make test`. Everything else is set up on the way.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
NEXI_DB ?= $(CURDIR)/data/nexi.duckdb
export NEXI_DB
TABLES := $(wildcard data/tables/*.csv)

.PHONY: run test data bench load browser clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# Rebuilt whenever a table, the schema or the builder changes; a failed build keeps the old file.
$(NEXI_DB): $(VENV)/.installed $(TABLES) nexidash/schema.py nexidash/build.py
	$(PY) -m nexidash.build --out $@

data: $(VENV)/.installed
	$(PY) -m nexidash.build --out $(NEXI_DB)

run: $(NEXI_DB)
	$(PY) -m streamlit run app.py --server.port $(PORT)

browser:
	@bash scripts/install-browser.sh

test: $(NEXI_DB) browser
	$(PY) -m pytest

bench: $(NEXI_DB) browser
	$(PY) -m bench.run

load: $(NEXI_DB) browser
	$(PY) -m bench.run --load

clean:
	rm -rf $(VENV) $(NEXI_DB) artifacts .pytest_cache
