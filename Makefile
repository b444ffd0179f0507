# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate seed lint format messages clean bench bench-tricks

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev,postgres,prod]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(MANAGE) migrate --noinput

seed: migrate
	$(MANAGE) seed_demo

# `make run PORT=8001 HOST=0.0.0.0` serves on another port, or to phones on the same network.
run: seed
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) seed_demo --logins --address http://$(HOST):$(PORT)
	$(MANAGE) runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest

# The year-end exam under load (not part of `make test`): needs PostgreSQL and Redis on
# 127.0.0.1; CADRES=500 by default. Prints a table, writes tests/bench/results.json.
CADRES ?= 500
bench: install
	$(BIN)/pip install --quiet -e ".[dev,postgres,prod,bench]"
	$(BIN)/python -m tests.bench.run --cadres $(CADRES)

# Each speed trick of the exam's hot paths measured on and off, interleaved, in one run
# (about 4 minutes): prints a table, writes tests/bench/tricks.json.
TRICKS_CADRES ?= 300
bench-tricks: install
	$(BIN)/pip install --quiet -e ".[dev,postgres,prod,bench]"
	$(BIN)/python -m tests.bench.tricks --cadres $(TRICKS_CADRES) --pairs 3

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Needs GNU gettext; the compiled catalogue (.mo) is committed so users do not.
messages: install
	$(MANAGE) makemessages -l zh_Hans --ignore=.venv --ignore=tests
	$(MANAGE) compilemessages -l zh_Hans --ignore=.venv

clean:
	rm -rf $(VENV) var staticfiles
