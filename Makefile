# govnews: `make run` runs the demo crawl, `make test` runs the tests.
# Both create .venv and install the project on first use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test bench eval lint clean-data

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/govnews crawl --demo --out data/

# The tests run in parallel, one worker per core (TEST_WORKERS=0 runs them in this process); a
# module's tests stay on one worker, in the order tests/conftest.py gives (longest modules first).
TEST_WORKERS ?= auto
test: $(STAMP)
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadscope --no-loadscope-reorder

bench: $(STAMP)
	$(BIN)/python -m benchmarks

eval: $(STAMP)
	$(BIN)/python -m benchmarks.eval
	$(BIN)/python -m benchmarks.eval_meta
	$(BIN)/python -m benchmarks.eval_repairs
	$(BIN)/python -m benchmarks.eval_structure

lint: $(STAMP)
	$(BIN)/ruff check crawler flows storage tests benchmarks
	$(BIN)/mypy crawler flows storage

clean-data:
	rm -rf data/
