"""Fabric measured with the scenarios that measured the real lightning 2.6.6 (``fixtures/fabric``): same return
shapes, dtypes, state-dict layouts, logged rows, callback dispatch, exception types, and the same weights after
training in every precision."""
import importlib.util
import json
import math
import warnings
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "fabric"
REFERENCE = json.loads((FIXTURES / "lightning-2.6.6.json").read_text())["scenarios"]


def _load_scenarios():
    spec = importlib.util.spec_from_file_location("fabric_scenarios", FIXTURES / "scenarios.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


scenarios = _load_scenarios()


def _run(name, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return json.loads(json.dumps(scenarios.SCENARIOS[name](str(tmp_path))))


@pytest.mark.parametrize("name", [n for n in scenarios.SCENARIOS if n != "train_loop"])
def test_scenario_matches_reference(name, tmp_path):
    assert _run(name, tmp_path) == REFERENCE[name]


def test_training_matches_reference_in_every_precision(tmp_path):
    ours = _run("train_loop", tmp_path)
    assert sorted(ours) == sorted(REFERENCE["train_loop"])
    for precision, expected in REFERENCE["train_loop"].items():
        got = ours[precision]
        assert got["output_dtype"] == expected["output_dtype"], precision
        assert got["param_dtype"] == expected["param_dtype"], precision
        for key in ("losses", "norms"):
            assert got[key] == pytest.approx(expected[key], rel=1e-6, abs=1e-7), (precision, key)
        for name, values in expected["weights"].items():
            assert got["weights"][name] == pytest.approx(values, rel=1e-6, abs=1e-7), (precision, name)
        assert all(math.isfinite(v) for v in got["losses"])
