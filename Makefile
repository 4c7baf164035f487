# `make test` and `make demo` do all set-up on a fresh machine: they create .venv when
# it is missing and install the test environment (requirements-test.txt) into it.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: test demo lint bench

$(STAMP): requirements-test.txt pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q -r requirements-test.txt
	$(PY) -m pip install -q --no-deps -e .
	touch $(STAMP)

test: $(STAMP)
	$(PY) -m ruff check kerastorch tests compat bench examples
	$(PY) -m pytest

demo: $(STAMP)
	$(VENV)/bin/kerastorch run examples/seed_tensors.py

lint: $(STAMP)
	$(PY) -m ruff check kerastorch tests compat bench examples

bench: $(STAMP)
	$(PY) bench/eager_ops.py
