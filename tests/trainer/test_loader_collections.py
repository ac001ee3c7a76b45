"""A collection of dataloaders is read as 2.6.6 reads it: a container of plain values is one iterable, not several
(``trainer.test(model, [0, 1])`` tests two batches of one loader), containers of iterables are several loaders.
Side by side with the real package (``loader_collection_scenarios.py`` runs under both)."""
import sys
from pathlib import Path

import pytest

from tests.reference import L2_PYTHON, require, run_json

SCRIPT = Path(__file__).resolve().parent / "loader_collection_scenarios.py"


@pytest.fixture(scope="module")
def results():
    return run_json(require(L2_PYTHON), SCRIPT), run_json(sys.executable, SCRIPT)


def test_same_batches_as_lightning_2_6_6(results):
    real, ours = results
    assert real.keys() == ours.keys()
    assert {k: v for k, v in ours.items() if v != real[k]} == {}
    # the scenarios exercise both readings: a list of plain values, and a list of loaders
    assert real["test/values"] == [[0, 0], [1, 1]]
    assert [row[-1] for row in real["test/two_lists"]] == [0, 0, 1]
