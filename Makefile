# The project's commands. `make run` and `make test` set up whatever is
# missing first (both Python environments, the trained model for `run`).
SHELL := /bin/bash
.DEFAULT_GOAL := help

APP_PY   := .venv/bin/python
RASA     := .venv-rasa/bin/rasa
TRAINING := config.yml domain.yml $(shell find data -type f -name '*.yml' 2>/dev/null | sort) \
            $(wildcard bot/nlu/*.py)
CODE     := bot actions scoring tests bench

export PYTHONDONTWRITEBYTECODE := 1
# Rasa would report usage to its makers; visitors' chats stay here.
export RASA_TELEMETRY_ENABLED := false

.PHONY: help setup run train test test-bot nlu-check lint typecheck validate format clean

help:  ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

.venv/.installed: requirements/app.lock pyproject.toml scripts/setup-venv
	@scripts/setup-venv app

.venv-rasa/.installed: requirements/rasa.lock scripts/setup-venv
	@scripts/setup-venv rasa

setup: .venv/.installed .venv-rasa/.installed  ## create both Python environments

models/dmql.tar.gz: $(TRAINING) .venv-rasa/.installed
	@echo "Training the Rasa model (training data changed) ..."
	@$(RASA) train --data data --domain domain.yml --config config.yml \
	    --out models --fixed-model-name dmql

train: models/dmql.tar.gz  ## train the Rasa model if the training data changed

run: setup train  ## set up, train if needed, and start everything
	@$(APP_PY) -m bot.cli run

test: setup  ## set up and run the whole test suite
	@.venv/bin/pytest

lint: .venv/.installed  ## ruff: lint and formatting
	@.venv/bin/ruff check $(CODE)
	@.venv/bin/ruff format --check $(CODE)

format: .venv/.installed  ## apply ruff's fixes and formatting
	@.venv/bin/ruff check --fix $(CODE)
	@.venv/bin/ruff format $(CODE)

typecheck: .venv/.installed  ## mypy, strict on bot/ and scoring/
	@.venv/bin/mypy

validate: setup  ## check training data, domain, lookup tables and scoring rules
	@$(RASA) data validate --data data --domain domain.yml --config config.yml
	@$(APP_PY) -m bot.cli validate

nlu-check: .venv/.installed  ## in a minute: which intents the NLU examples mix up
	@$(APP_PY) -m bot.designer.nlu_overlap data/nlu

test-bot: setup train  ## conversation tests and an NLU cross-validation report
	@$(RASA) test core --stories tests/stories --model models/dmql.tar.gz \
	    --fail-on-prediction-errors --out reports/stories
	@rm -rf reports/nlu-data && mkdir -p reports/nlu-data
	@cp -r data/nlu data/lookups reports/nlu-data/  # examples + lookup tables, as trained
	@$(RASA) test nlu --nlu reports/nlu-data --config config.yml --cross-validation \
	    --folds 5 --out reports/nlu
	@$(APP_PY) -m bot.designer.nlu_report reports/nlu

clean:  ## remove environments, models and local data
	rm -rf .venv .venv-rasa models/*.tar.gz var .pytest_cache .mypy_cache .ruff_cache
