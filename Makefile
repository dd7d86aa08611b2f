# Two commands for a fresh machine with Python 3.11 and make: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: demo test lint format install messages compilemessages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml uv.lock
	$(BIN)/python -m pip --version >/dev/null 2>&1 || $(BIN)/python -m ensurepip --default-pip >/dev/null
	$(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"
	$(BIN)/uv sync --frozen --python $(BIN)/python
	touch $@

install: $(VENV)/.installed

demo: install
	DJANGO_SETTINGS_MODULE=belong.settings.dev $(BIN)/belong demo

test: install
	$(BIN)/python scripts/run_tests.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Extract UI strings into the catalogues (needs GNU gettext); the compiled .mo files are committed.
I18N_IGNORE := --ignore=.venv --ignore=var --ignore=docs --ignore=bench --ignore=tests --ignore="*/tests/*"
messages: install
	$(BIN)/python manage.py makemessages -l en -l pt -l bg -l af --no-obsolete --add-location=file $(I18N_IGNORE)
	$(MAKE) compilemessages

compilemessages: install
	$(BIN)/python manage.py compilemessages $(I18N_IGNORE)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
