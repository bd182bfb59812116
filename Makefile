# Two commands for a newcomer: `make run` and `make test`. Everything else is set up on the way.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
NEXI_DB ?= $(CURDIR)/data/nexi.duckdb
export NEXI_DB
TABLES := $(wildcard data/tables/*.csv)
GEO := $(wildcard data/geo/*)

# `make serve`: nginx in front of REPLICAS Streamlit processes, the dashboard at /app/, on PORT
# when given (`make serve PORT=9000`), else 8080.
SERVE_PORT := $(if $(filter command line environment,$(origin PORT)),$(PORT),8080)
REPLICAS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: run serve replica test check data edition press bench load browser system clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# Rebuilt whenever a table, a boundary file, the schema or the builder changes (the build also
# publishes the maps' boundaries to static/); a failed build keeps the old file.
$(NEXI_DB): $(VENV)/.installed $(TABLES) $(GEO) nexidash/schema.py nexidash/build.py
	$(PY) -m nexidash.build --out $@
	$(PY) -m nexidash.geo

data: $(VENV)/.installed
	$(PY) -m nexidash.build --out $(NEXI_DB)
	$(PY) -m nexidash.geo

run: $(NEXI_DB)
	$(PY) -m streamlit run app.py --server.port $(PORT)

browser:
	@bash scripts/install-debian.sh browser

# Everything `make test` needs from Debian: the browser and the proxy.
system:
	@bash scripts/install-debian.sh browser serve

# The static edition (var/edition): every page in both languages and every year, as HTML with
# SVG charts drawn by Kaleido on Debian's Chromium. `make serve` rebuilds it when it is stale.
edition: $(NEXI_DB) browser
	$(PY) -m nexidash.edition

# The press kit alone (the edition builds it too, into its /d/): fact sheets, slides, every
# chart as PNG and SVG, and the press pack ZIP, in var/press.
press: $(NEXI_DB) browser
	$(PY) -m nexidash.presskit --out var/press

# Production: Ctrl-C or SIGTERM stops nginx and every replica. UPSTREAMS=host:port,... serves
# replicas started elsewhere with `make replica` instead of local ones.
serve: $(NEXI_DB)
	@bash scripts/install-debian.sh browser serve
	$(PY) -m nexidash.edition --if-stale
	PORT=$(SERVE_PORT) REPLICAS=$(REPLICAS) $(PY) -m nexidash.serve

# One replica for another machine behind `make serve`'s nginx (listens on BIND:PORT; give it the
# same NEXI_COOKIE_SECRET as the others).
BIND ?= 0.0.0.0
replica: $(NEXI_DB)
	$(PY) -m nexidash.serve --replica --bind $(BIND) --replica-port $(PORT)

# axe-core for the browser tests' WCAG checks, from the committed lock.
tests/browser/axe/node_modules/.installed: tests/browser/axe/package-lock.json
	cd tests/browser/axe && npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# The whole suite on two workers that take tests as they free up (worksteal evens out the long
# ones); the static edition is built once, in the background, while they start on the rest.
# The load client's Locust is installed too: a smoke run of the press-day crowd is one of them.
# Streamlit's static files are compressed first, once per Streamlit version (var/www/), as
# `make serve` does: set-up, like the database, not a test.
test: $(NEXI_DB) system tests/browser/axe/node_modules/.installed $(VENV)/.bench-installed
	$(PY) -m nexidash.serve_static
	$(PY) -m ruff check .
	$(PY) -m pytest -n 2 --dist worksteal --durations=25

# The inner loop, under a minute: lint, then the data, build, format and unit tests.
CHECK_TESTS := tests/test_build.py tests/test_contract.py tests/test_fmt.py tests/test_i18n.py \
	tests/test_findings.py $(wildcard tests/test_data_*.py)
check: $(VENV)/.installed
	$(PY) -m ruff check .
	$(PY) -m pytest -q -n 2 $(CHECK_TESTS)

# The benchmarks' own tools: Locust for the crowd, Lighthouse (npm, from its lock) for phones.
$(VENV)/.bench-installed: $(VENV)/.installed bench/requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	touch $@

bench/lighthouse/node_modules/.installed: bench/lighthouse/package-lock.json
	cd bench/lighthouse && npm ci --no-audit --no-fund --ignore-scripts
	touch $@

BENCH_TOOLS := $(VENV)/.bench-installed bench/lighthouse/node_modules/.installed

# Everything: the browser tables, the phone (Lighthouse through the stack), the press-day crowd.
bench: $(NEXI_DB) system $(BENCH_TOOLS)
	$(PY) -m nexidash.edition --if-stale
	$(PY) -m bench.run
	$(PY) -m bench.phone
	$(PY) -m bench.press_day

# Load only: the browser crowd against one process, and the protocol crowd through the stack.
load: $(NEXI_DB) system $(BENCH_TOOLS)
	$(PY) -m bench.run --load
	$(PY) -m bench.press_day

clean:
	rm -rf $(VENV) $(NEXI_DB) artifacts .pytest_cache var static
