# Two commands set everything up on a fresh machine with Python 3.11 and Node.js:
#   make run   — install, migrate the SQLite database, load the sample data, serve on :8000
#   make test  — install, then run every test (SQLite; PostgreSQL and browser tests when available)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ASSETS := src/taizhang/static/vendor/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test bench clean

install: $(STAMP) $(ASSETS)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version' 
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

$(ASSETS): package.json package-lock.json scripts/vendor_assets.py
	npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/python scripts/vendor_assets.py
	touch $(ASSETS)

run: install
	$(BIN)/taizhang migrate --noinput
	$(BIN)/taizhang load_sample --if-empty
	$(BIN)/taizhang ensure_admin
	$(BIN)/taizhang serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python scripts/run_tests.py

bench: install
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) node_modules src/taizhang/static/vendor var
