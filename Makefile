# Two commands do everything on a fresh machine with python3: `make run`, `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Two stamps: `make run` installs only what the tool needs; the test extras (pytest,
# ruff, import-linter, ...) come with the first `make test`, `lint`, `quick` or `bench`.
RUN_STAMP := $(VENV)/.installed-run
STAMP := $(VENV)/.installed

.PHONY: run test lint quick bench clean

$(RUN_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $(RUN_STAMP)

$(STAMP): $(RUN_STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

# Ctrl-C at a question is the user's choice, not a failure: setguide's own lines (the 999
# reminder, exit 130) are the last said, with no make error after them.
run: $(RUN_STAMP)
	@echo "setguide is installed at $(abspath $(BIN))/setguide (to have it on PATH: see Start in README.md)"
	@$(BIN)/setguide triage || [ $$? -eq 130 ]

test: $(STAMP)
	$(BIN)/ruff check setguide tests bench
	$(BIN)/ruff format --check setguide tests bench
	$(BIN)/lint-imports
	sh tools/install-browser.sh $(BIN)/python
	# Two workers, one per core; a test module stays on one worker (its fixtures are per module).
	$(BIN)/python -m pytest -rs -n 2 --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check setguide tests bench
	$(BIN)/ruff format --check setguide tests bench
	$(BIN)/lint-imports

# The inner loop: everything but the pty, subprocess, wheel and fuzz tests.
quick: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

# Byte-compiled first: with PYTHONDONTWRITEBYTECODE set, an editable checkout would
# otherwise compile setguide's sources on every start, which an installed wheel never does.
bench: $(STAMP)
	$(BIN)/python -m compileall -q setguide bench
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache
