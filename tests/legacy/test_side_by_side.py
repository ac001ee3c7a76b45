"""Issue 15 (items 4, 6, 7, 8, 9, 10): the same scripts under the real packages and under ours give the same weights, the same
hook calls and the same errors. 1.x scripts run against pytorch-lightning 1.9.5, 2.x scripts against lightning 2.6.6.
"""
import pytest

from sidebyside import side_by_side
from test_fixture_scripts import close_to
from tests.reference import L2_PYTHON, PL1_PYTHON

SCENARIOS_1X = ("generic_signatures", "decorated_1x_signatures", "step_end_returns_none", "version_branches",
                "lr_find_by_tune", "lr_find_by_tuner", "defaults_written_out", "trainloader_min_size",
                "trainloader_max_size_cycle", "move_metrics_to_cpu", "amp_level", "argparse_signatures",
                "lr_find_diverging")
SCENARIOS_2X = ("generic_signatures", "decorated_2x_signatures", "decorated_steps_without_batch_idx", "keyword_only",
                "former_hooks_as_methods", "training_epoch_end_defined", "lr_find",
                "several_loaders_batch_end_without_idx", "several_loaders_varargs", "several_loaders_keyword_only_idx",
                "several_loaders_decorated_step", "one_loader_required_idx", "hparams_signatures")


@pytest.mark.parametrize("scenario", SCENARIOS_1X)
def test_1x_script_matches_pytorch_lightning_1_9_5(scenario):
    reference, ours = side_by_side(PL1_PYTHON, "scenarios_1x.py")
    close_to(ours[scenario], reference[scenario], scenario)


@pytest.mark.parametrize("scenario", SCENARIOS_2X)
def test_2x_script_matches_lightning_2_6_6(scenario):
    reference, ours = side_by_side(L2_PYTHON, "scenarios_2x.py")
    close_to(ours[scenario], reference[scenario], scenario)

