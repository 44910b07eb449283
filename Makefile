# The two commands a new user needs (see README): `make baseline` and `make test`.
# Both create the virtual environment and install ruralsim with its dependencies first.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: baseline test install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,fast,app]'
	# The page's browser tests drive Debian's chromium (Playwright never downloads a browser here).
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	touch $(STAMP)

install: $(STAMP)

baseline: $(STAMP)
	$(BIN)/ruralsim run scenarios/baseline.toml

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q

clean:
	rm -rf $(VENV) results/*/
