"""A collection of dataloaders is read as 2.6.6 reads it: a container of plain values is one iterable, not several
(``trainer.test(model, [0, 1])`` tests two batches of one loader), containers of iterables are several loaders.
Side by side with the real package (``loader_collection_scenarios.py`` runs under both)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reference import L2_PYTHON, require

SCRIPT = Path(__file__).resolve().parent / "loader_collection_scenarios.py"


def _run(python: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run([python, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def results():
    return _run(str(require(L2_PYTHON))), _run(sys.executable)


def test_same_batches_as_lightning_2_6_6(results):
    real, ours = results
    assert real.keys() == ours.keys()
    assert {k: v for k, v in ours.items() if v != real[k]} == {}
    # the scenarios exercise both readings: a list of plain values, and a list of loaders
    assert real["test/values"] == [[0, 0], [1, 1]]
    assert [row[-1] for row in real["test/two_lists"]] == [0, 0, 1]
