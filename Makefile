# The two quick-start commands of the README: `make demo` and `make test`. Both set up .venv first.
PY := .venv/bin/python

.venv/ready: pyproject.toml
	python3 -m venv .venv
	.venv/bin/pip install -q torch==2.13.0
	.venv/bin/pip install -q -e '.[test,all]'
	touch .venv/ready

demo: .venv/ready
	$(PY) examples/main_job.py

test: .venv/ready
	$(PY) -m pytest -n 2 -q tests

bench: .venv/ready
	$(PY) -m bench

.PHONY: demo test bench
