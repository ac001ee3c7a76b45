"""Error messages and small answers of public utilities as Lightning 2.6.6 gives them, side by side:
``error_scenarios.py`` runs under the real lightning 2.6.6 and under this project. An error must be of the same type
and carry the key phrase that user code (and Lightning's own tests) match; the rest is worded freely. Answers that
are values must be equal."""
import re
import sys
from pathlib import Path

import pytest

from tests.reference import L2_PYTHON, require, run_json
from tests.surface.error_scenarios import SCENARIOS

SCRIPT = Path(__file__).resolve().parent / "error_scenarios.py"
# scenario -> the regex a filter or test applies to the message; scenarios not listed compare equal
KEY_PHRASES = {
    "summary_max_depth_negative": r"`max_depth` can be -1, 0 or > 0, got -2",
    "summary_max_depth_not_an_int": r"`max_depth` can be -1, 0 or > 0, got deep",
    "unknown_profiler_name": r"When passing string value for the `profiler` parameter of `Trainer`, it can only be one of",
    "profiler_table_kwargs_sort_by": r"Found invalid table_kwargs key: sort_by. This is already a positional argument",
    "batch_size_of_a_string": r"We could not infer the batch_size",
    "accelerator_none": r"You selected an invalid accelerator name: `accelerator=None`",
    "accelerator_unknown": r"You selected an invalid accelerator name: `accelerator='abacus'`",
    "accelerator_gpu_without_one": r"No supported gpu backend found",
    "cpu_devices_none": r"`devices` selected with `CPUAccelerator` should be an int > 0",
    "cpu_devices_negative": r"`devices` selected with `CPUAccelerator` should be an int > 0",
    "cpu_devices_zero": r"`Trainer\(devices=0\)` value is not a valid input using cpu accelerator",
    "cpu_devices_empty_list": r"`Trainer\(devices=\[\]\)` value is not a valid input using cpu accelerator",
    "strategy_unknown": r"You selected an invalid strategy name: `strategy='abacus'`",
    "strategy_none": r"You selected an invalid strategy name: `strategy=None`",
    "strategy_dp": r"You selected an invalid strategy name: `strategy='dp'`",
    "fabric_devices_none": r"`devices` selected with `CPUAccelerator` should be an int > 0",
    "fabric_accelerator_none": r"You selected an invalid accelerator name: `accelerator=None`",
}


@pytest.fixture(scope="module")
def results():
    return run_json(require(L2_PYTHON), SCRIPT), run_json(sys.executable, SCRIPT)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_same_error_or_answer_as_lightning_2_6_6(results, name):
    real, ours = results[0][name], results[1][name]
    phrase = KEY_PHRASES.get(name)
    if phrase is None:
        assert ours == real
    else:
        assert re.search(phrase, real), f"2.6.6 no longer says {phrase!r}: {real}"
        assert re.search(phrase, ours), ours
        # ours is an instance of 2.6.6's exception type ("Type|its classes: message")
        assert real.split("|")[0] in ours.split(":")[0].split("|")[1].split(","), (ours, real)
