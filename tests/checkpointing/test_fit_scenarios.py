"""Callbacks inside real fit runs give what they give in Lightning 2.6.6 (reference/fit-2.6.6.json, produced by
running reference/fit_scenarios.py with the real package): early stopping, LR monitor, accumulation schedule, SWA,
backbone finetuning, exception checkpoints, lambda hooks, callback/datamodule state through checkpoints."""
import json
import math
from pathlib import Path

import pytest

import fit_scenarios
import lightning.pytorch as pl

REFERENCE = json.loads((Path(__file__).parent / "reference" / "fit-2.6.6.json").read_text())


def _close(ours, real, path=""):
    """Equal, with floats compared to 1e-5 (weights are rounded to 6 digits on both sides)."""
    if isinstance(real, dict):
        assert isinstance(ours, dict) and set(ours) == set(real), f"{path}: keys {sorted(ours)} != {sorted(real)}"
        for key in real:
            _close(ours[key], real[key], f"{path}/{key}")
    elif isinstance(real, list):
        assert isinstance(ours, list) and len(ours) == len(real), f"{path}: {ours} != {real}"
        for i, (a, b) in enumerate(zip(ours, real)):
            _close(a, b, f"{path}[{i}]")
    elif isinstance(real, float) and not isinstance(real, bool):
        assert math.isclose(ours, real, rel_tol=1e-5, abs_tol=1e-5), f"{path}: {ours} != {real}"
    else:
        assert ours == real, f"{path}: {ours!r} != {real!r}"


@pytest.mark.parametrize("scenario", fit_scenarios.SCENARIOS, ids=lambda fn: fn.__name__)
def test_same_as_lightning_2_6_6(scenario):
    _close(fit_scenarios.run_one(pl, scenario), REFERENCE[scenario.__name__])
