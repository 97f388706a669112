# pmreport: the two commands in the README (`make demo`, `make test`) do all the set-up.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: demo test setup lint docs clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev,union,spark]'
	touch $(STAMP)

setup: $(STAMP)
	@scripts/ensure-chromium.sh

demo: setup
	$(BIN)/pmreport demo

# The notebooks (among the longest items) go first, so that no core waits for one at the end. Work-stealing
# keeps both workers busy to the end (--dist loadscope, one module per worker, left one idle for minutes).
test: setup
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n 2 --dist worksteal -q --nbmake notebooks tests

lint: $(STAMP)
	$(BIN)/ruff check pmreport tests
	$(BIN)/lint-imports
	$(BIN)/mypy

docs: $(STAMP)
	$(BIN)/python -m pmreport.docs_gen

clean:
	rm -rf $(VENV) build *.egg-info
