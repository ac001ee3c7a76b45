"""Issue 15 (items 4, 6, 7, 8, 9, 10): the same scripts under the real packages and under ours give the same weights,
hook calls, metrics, suggestions and errors. 1.x scripts run against pytorch-lightning 1.9.5, 2.x scripts against
lightning 2.6.6 (tests/legacy/scenarios/*.py say what each scenario covers).

One test per script: its scenarios run in one process per interpreter, so a test split per scenario would run them
again on every xdist worker; a failure lists every scenario that differs.
"""
import pytest

from sidebyside import side_by_side
from test_fixture_scripts import close_to
from tests.reference import L2_PYTHON, PL1_PYTHON

SCENARIOS_1X = ("generic_signatures", "decorated_1x_signatures", "step_end_returns_none", "version_branches",
                "lr_find_by_tune", "lr_find_by_tuner", "lr_find_diverging", "defaults_written_out",
                "trainloader_min_size", "trainloader_max_size_cycle", "move_metrics_to_cpu", "amp_level",
                "argparse_signatures")
SCENARIOS_2X = ("generic_signatures", "decorated_2x_signatures", "decorated_steps_without_batch_idx", "keyword_only",
                "former_hooks_as_methods", "training_epoch_end_defined", "lr_find",
                "several_loaders_batch_end_without_idx", "several_loaders_varargs", "several_loaders_keyword_only_idx",
                "several_loaders_decorated_step", "one_loader_required_idx", "hparams_signatures")


def _differences(reference: dict, ours: dict, expected: tuple) -> list:
    assert sorted(reference) == sorted(expected), "the script's scenarios and this test's list disagree"
    found = []
    for name in expected:
        try:
            close_to(ours[name], reference[name], name)
        except AssertionError as err:
            found.append(str(err))
    return found


@pytest.mark.parametrize(("python", "script", "expected"), [
    pytest.param(PL1_PYTHON, "scenarios_1x.py", SCENARIOS_1X, id="1x-vs-pytorch_lightning-1.9.5"),
    pytest.param(L2_PYTHON, "scenarios_2x.py", SCENARIOS_2X, id="2x-vs-lightning-2.6.6"),
])
def test_script_matches_the_real_package(python, script, expected):
    reference, ours = side_by_side(python, script)
    assert _differences(reference, ours, expected) == []


def test_a_difference_is_reported():
    reference = {"a": {"weights": [1.0, 2.0]}, "b": {"error": "TypeError"}}
    ours = {"a": {"weights": [1.0, 2.1]}, "b": {"error": "TypeError"}}
    assert [d.split(":")[0] for d in _differences(reference, ours, ("a", "b"))] == ["a.weights[1]"]
