VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test test-fast mutation lint typecheck bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: install
	$(VENV)/bin/rota demo

lint: install
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks

typecheck: install
	$(VENV)/bin/mypy --strict src/rota

test: lint typecheck
	$(VENV)/bin/pytest -n 2 -q

# The quick loop while working on the engine or a use case: SQLite only, one process.
test-fast: install
	$(VENV)/bin/pytest -q -n 2 -m "not postgres and not browser" tests/engine tests/service

# Mutation testing of the engine, store, service and API routers (tools/mutation.py):
# not part of `make test`, run it before resolving an issue that touches those layers.
# `make mutation AREAS="engine api"` for some of them; the report is docs/mutation.md.
mutation: install
	$(PY) tools/mutation.py $(AREAS)

bench: install
	$(PY) benchmarks/slots.py --plain
	$(PY) benchmarks/simulate.py
	$(PY) benchmarks/fairness.py
	$(PY) benchmarks/ledger.py
	$(PY) benchmarks/api.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .mutation
