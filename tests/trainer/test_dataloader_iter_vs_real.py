"""Steps that take ``dataloader_iter`` side by side with the real lightning 2.6.6 (dataloader_iter_scenarios.py): the
step pulls its own batches in every stage; the hooks around it, the step counts, the progress counters, the
profiled fetches and the warning are the same."""
from pathlib import Path

import pytest

from tests.reference import run_json_pair

SCRIPT = Path(__file__).with_name("dataloader_iter_scenarios.py")
SCENARIOS = ["one_per_step", "two_per_step", "two_per_step_unlimited", "three_per_step_two_val_loaders", "profiled",
             "warned"]


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return run_json_pair(SCRIPT, tmp_path_factory)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_same_as_lightning_2_6_6(results, scenario):
    assert results["ours"][scenario] == results["ref"][scenario]
    assert results["ref"][scenario]  # the scenario observed something
