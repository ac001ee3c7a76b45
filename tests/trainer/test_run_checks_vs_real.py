"""Run checks side by side with the real lightning 2.6.6 (scenarios in run_check_scenarios.py): the same exception or
warning class, carrying the key phrase users and Lightning's own tests match; LightningOptimizer passes for the
wrapped optimizer's class as in 2.6.6."""
from pathlib import Path

import pytest

from tests.reference import run_json_pair

SCRIPT = Path(__file__).with_name("run_check_scenarios.py")
PHRASES = {
    "optimizer_idx": "Remove the `optimizer_idx` argument from `training_step`",
    "two_optimizers": "multiple optimizers is only supported with manual optimization",
    "predict_step_none": "`predict_step` cannot be None",
    "forward_none": "requires `forward` method to run.",
    "validation_step_none": "No `validation_step()` method defined",
    "log_in_configure_callbacks": "You can't `self.log()` inside `configure_callbacks`",
    "log_in_setup": "You can't `self.log()` inside `setup`",
    "log_in_predict_setup": "result collection is not registered yet",
    "log_without_trainer": "`self.trainer` reference is not registered",
    "max_epochs_unset": "`max_epochs` was not set. Setting it to 1000 epochs.",
    "eval_mode_at_fit_start": "Found 1 module(s) in eval mode at the start of training",
    "accumulation_scheduler_manual": "Automatic gradient accumulation and the `GradientAccumulationScheduler`",
}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return run_json_pair(SCRIPT, tmp_path_factory)


def _flat(entry):
    """[class, message] of an exception, or the single one of a list of warnings."""
    if entry and isinstance(entry[0], list):
        assert len(entry) == 1, entry
        return entry[0]
    return entry


@pytest.mark.parametrize("case", sorted(PHRASES))
def test_same_error_and_key_phrase(results, case):
    ref, ours = _flat(results["ref"][case]), _flat(results["ours"][case])
    assert ref is not None and ours is not None, (ref, ours)
    assert ours[0] == ref[0]
    assert PHRASES[case] in ref[1] and PHRASES[case] in ours[1], (ref[1], ours[1])


def test_lightning_optimizer_poses_as_the_wrapped_class(results):
    ref, ours = results["ref"]["lightning_optimizer"], results["ours"]["lightning_optimizer"]
    assert ours[1:] == ref[1:]
    # loading a state into the wrapper loads it into the optimizer (2.6.6's wrapper keeps a copy of its own, so its
    # repr then no longer matches the optimizer's)
    assert ours[0] is True
