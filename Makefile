# The two commands a new user needs (see README): `make baseline` and `make test`.
# Both create the virtual environment and install ruralsim with its dependencies first.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: baseline test install browser clean

# Headless Chromium renders report.html in the tests (Debian's package; root installs it, others are told).
CHROMIUM_INSTALL = command -v chromium >/dev/null 2>&1 || { \
	if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	elif command -v sudo >/dev/null 2>&1; then sudo apt-get update -qq && sudo apt-get install -y -qq chromium; \
	else echo "note: install Debian's chromium package for the report rendering test"; fi; }

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,fast]'
	touch $(STAMP)

install: $(STAMP) browser

browser:
	@$(CHROMIUM_INSTALL)

baseline: $(STAMP)
	$(BIN)/ruralsim run scenarios/baseline.toml

test: $(STAMP) browser
	$(BIN)/python -m pytest -n 2 -q

clean:
	rm -rf $(VENV) results/*/
