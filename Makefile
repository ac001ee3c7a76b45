# The two quick-start commands of the README: `make demo` and `make test`. Both set up .venv first.
PY := .venv/bin/python

.venv/ready: pyproject.toml
	python3 -m venv .venv
	.venv/bin/pip install -q torch==2.13.0
	.venv/bin/pip install -q -e '.[test,all]'
	touch .venv/ready

demo: .venv/ready
	$(PY) examples/main_job.py

# the real lightning 2.6.6 and pytorch-lightning 1.9.5, which the side-by-side tests run (cached, git-ignored)
.ref/ready: scripts/reference-venvs.sh
	scripts/reference-venvs.sh .ref
	touch .ref/ready

ref: .ref/ready

test: .venv/ready .ref/ready
	$(PY) -m pytest -n 2 -q tests

bench: .venv/ready
	$(PY) -m bench

.PHONY: demo test bench ref
