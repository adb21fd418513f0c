# Two entry points for people (see README): `make demo` and `make test`.
# Both create .venv and install the project (editable, with test tools) when
# pyproject.toml is newer than the last install.

VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO   := demo-data/demo.sqlite
PYTHON ?= python3

.PHONY: demo test test-postgresql test-dates lint forms bench selftest clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

forms: $(STAMP)
	$(BIN)/python tools/build_ui.py

$(DEMO): | $(STAMP)
	mkdir -p $(dir $(DEMO))
	$(BIN)/frontdesk demo $(DEMO) --households 2000

# Whether Qt can open a window here is asked first, in one line (not after the demo is built).
demo: forms
	$(BIN)/python -m frontdesk.gui.display_check
	$(MAKE) --no-print-directory $(DEMO)
	$(BIN)/frontdesk --db $(DEMO)

lint: forms
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools
	$(BIN)/mypy
	$(BIN)/lint-imports

# The suite on two workers (pytest-xdist), each test file whole on one of them: every
# worker has its own temporary folders, data folder, keyring and template databases
# (tests/conftest.py), and a file's module-wide demo is built once.
TEST_WORKERS ?= 2
PYTEST := $(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

# Then the service, command-line and database tests again on PostgreSQL, beside a
# throwaway server in a temporary folder (tools/throwaway_postgres.py; .ci/run installs
# PostgreSQL where it is missing): FRONTDESK_TEST_ENGINE=postgresql puts each test's
# database on the server; the tests marked postgres (the server's own rules, opening,
# backups, move-to) run there too; those about SQLite files (sqlite_only) do not.
PG_TESTS := env FRONTDESK_TEST_ENGINE=postgresql $(PYTEST) -m "not sqlite_only" tests/unit tests/cli tests/db

test: lint
	$(PYTEST) -m "not postgres"
	@if $(BIN)/python tools/throwaway_postgres.py --available; then \
		$(BIN)/python tools/throwaway_postgres.py -- $(PG_TESTS); \
	else \
		echo "PostgreSQL is not installed here: its tests did not run (apt install postgresql)"; \
	fi

# Only the PostgreSQL half of `make test`.
test-postgresql: forms
	$(BIN)/python tools/throwaway_postgres.py -- $(PG_TESTS)

# The suite on other days: a month end, New Year's Day, a leap day (README, Rules the code keeps).
test-dates: forms
	for at in 2027-01-31T17:45 2027-01-01T08:30 2028-02-29T10:00; do \
		echo "== FRONTDESK_NOW=$$at"; FRONTDESK_NOW=$$at $(PYTEST) -q -p no:cacheprovider || exit 1; \
	done

selftest: forms
	$(BIN)/frontdesk selftest --screenshots screenshots

bench: forms
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) demo-data screenshots src/frontdesk/gui/forms/*_ui.py
