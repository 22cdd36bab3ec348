# SPUK-portaal. The README's two commands: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: install run setup test bench check clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

# Migrate, load the reference data and the demo accounts (idempotent).
setup: install
	@mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py load_reference_data
	$(PY) manage.py load_demo_data

run: setup
	@echo ""
	@echo "SPUK-portaal draait op http://$(HOST):$(PORT)/"
	@echo "Demo-accounts (wachtwoord spuk-demo): gemeente (Almere), gemeente2 (Lelystad), gemeente3 (Kerkrade), gemeente4 (Heerlen),"
	@echo "  kerngroep, kerngroep2 (tweede beoordelaar), voorzitter (kerngroep), ministerie, beheer. Stoppen: Ctrl+C."
	@echo "  \"Inloggen met eHerkenning\" gaat naar een demonstratie-makelaar (EHERKENNING_MOCK): zo komt u als gemeente binnen."
	@echo ""
	SITE_URL=$(SITE_URL) EHERKENNING_MOCK=$${EHERKENNING_MOCK:-true} $(PY) manage.py runserver --noreload $(HOST):$(PORT)

test: install
	@scripts/run-tests

bench: install
	$(PY) -m pip install --quiet -e ".[test,bench]"
	@scripts/run-benchmarks

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf var staticfiles
