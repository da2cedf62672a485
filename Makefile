# Quick start: `make demo` (set up and run the demo hall), `make test` (the whole test suite).
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test venv

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e ".[test]"
	touch $@

demo: venv
	bash scripts/system-deps.sh demo
	$(VENV)/bin/antrean demo --base-url http://$(HOST):$(PORT)
	$(VENV)/bin/antrean serve --host $(HOST) --port $(PORT)

test: venv
	bash scripts/system-deps.sh test
	$(VENV)/bin/pytest -q
