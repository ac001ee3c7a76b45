"""Hook dispatch and loop edges side by side with the real lightning 2.6.6 (scenarios in dispatch_scenarios.py):
hooks wrapped on the instance are called like overrides, evaluation/prediction put each submodule's train/eval mode
back, a zero batch limit requests no dataloader, a run resumed under a step limit finishes the epoch max_steps cut."""
from pathlib import Path

import pytest

from tests.reference import run_json_pair

SCRIPT = Path(__file__).with_name("dispatch_scenarios.py")
SCENARIOS = ["wrapped_hooks", "module_modes", "zero_limit_loaders", "resume_under_step_limit"]


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return run_json_pair(SCRIPT, tmp_path_factory)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_same_as_lightning_2_6_6(results, scenario):
    ref, ours = results["ref"][scenario], results["ours"][scenario]
    for case in ref:
        assert ours[case] == ref[case], f"{scenario}/{case}"
