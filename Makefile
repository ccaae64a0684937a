# Two commands do all the set-up: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY_STAMP   := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: install run test pytest lint format bench mutate clean

install: $(PY_STAMP) $(NODE_STAMP)

$(PY_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

$(NODE_STAMP): package.json package-lock.json scripts/build-web.mjs
	npm ci --no-audit --no-fund --loglevel=error
	node scripts/build-web.mjs
	@touch $@

run: install
	$(BIN)/execdash demo --if-empty
	$(BIN)/execdash serve --host 127.0.0.1 --port 8000

test: install lint pytest

# The load drill runs on its own after the rest, so its latency targets measure the server and
# not the other tests sharing the two cores.
pytest: install
	$(BIN)/pytest -n 2 --dist loadgroup --ignore=tests/drill
	$(BIN)/pytest tests/drill

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

bench: install
	$(BIN)/python -m bench
	$(BIN)/python -m bench --backend postgresql
	$(BIN)/python -m bench.web
	$(BIN)/python -m bench.search

# Mutation testing, on demand (not in CI: hours on two cores). MUTATE_CHILDREN sets the parallelism.
# Results stay in mutants/; `$(BIN)/mutmut results` lists survivors, `mutmut show NAME` one diff.
MUTATE_CHILDREN ?= 2
mutate: install
	$(BIN)/mutmut run --max-children $(MUTATE_CHILDREN)
	$(BIN)/mutmut results

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache mutants
