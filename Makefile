# The two commands a new user needs (see README): `make baseline` and `make test`.
# Both create the virtual environment and install ruralsim with its dependencies first.
#
# `make test` tests the two supported stacks, each in its own virtual environment:
#   .venv     Python 3.11 (python3)  + Mesa 3.3 + EMA Workbench 2.5   (`make test-py311`)
#   .venv312  Python 3.12 (pyenv)    + Mesa 3.5 + EMA Workbench 3     (`make test-py312`)
# Python 3.12 is found through pyenv (`pyenv install 3.12` if missing) or as python3.12 on the PATH;
# set PYTHON312=/path/to/python3.12 to choose another.
PYTHON    ?= python3
VENV      ?= .venv
BIN        = $(VENV)/bin
STAMP      = $(VENV)/.installed
PYENV_ROOT ?= $(shell pyenv root 2>/dev/null || echo $(HOME)/.pyenv)
PYTHON312 ?= $(firstword $(wildcard $(PYENV_ROOT)/versions/3.12*/bin/python3) $(shell command -v python3.12 2>/dev/null))
VENV312   ?= .venv312
STAMP312   = $(VENV312)/.installed

.PHONY: baseline test test-py311 test-py312 install browser clean

# Headless Chromium renders report.html and drives the app page in the tests (Debian's package; Playwright
# never downloads a browser here). Root installs it; others are told.
CHROMIUM_INSTALL = command -v chromium >/dev/null 2>&1 || { \
	if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	elif command -v sudo >/dev/null 2>&1; then sudo apt-get update -qq && sudo apt-get install -y -qq chromium; \
	else echo "note: install Debian's chromium package for the report rendering test"; fi; }

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,fast,app]'
	touch $(STAMP)

$(STAMP312): pyproject.toml setup.py
	@test -n "$(PYTHON312)" || { echo "Python 3.12 not found: pyenv install 3.12, or make PYTHON312=/path/to/python3.12" >&2; exit 1; }
	$(PYTHON312) -m venv $(VENV312)
	$(VENV312)/bin/python -m pip install --quiet --upgrade pip
	$(VENV312)/bin/python -m pip install --quiet -e '.[test,fast,app]'
	touch $(STAMP312)

install: $(STAMP) browser

browser:
	@$(CHROMIUM_INSTALL)

baseline: $(STAMP)
	$(BIN)/ruralsim run scenarios/baseline.toml

test: test-py311 test-py312

test-py311: $(STAMP) browser
	$(BIN)/python -c "import sys, mesa; print('stack: Python', sys.version.split()[0], '+ Mesa', mesa.__version__)"
	$(BIN)/python -m pytest -n 2 -q

test-py312: $(STAMP312) browser
	$(VENV312)/bin/python -c "import sys, mesa; print('stack: Python', sys.version.split()[0], '+ Mesa', mesa.__version__)"
	$(VENV312)/bin/python -m pytest -n 2 -q

clean:
	rm -rf $(VENV) $(VENV312) results/*/
