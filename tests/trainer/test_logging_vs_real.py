"""Logging side by side with the real lightning 2.6.6: the scenarios of logging_scenarios.py (torchmetrics objects
and MetricCollections per stage and epoch, epoch-end hooks, several dataloaders, reductions, logging from callbacks)
run under both, and every metric dictionary, metrics.csv row, TensorBoard scalar and checkpoint choice must agree."""
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reference import L2_PYTHON, require

SCRIPT = Path(__file__).with_name("logging_scenarios.py")
COMPAT = Path(__file__).resolve().parents[2] / "compat"
SCENARIOS = ["classifier", "collection", "multi_loader", "reductions", "stage_hooks"]


def _env(ours: bool) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if ours:
        env["PYTHONPATH"] = str(COMPAT)
    env["PYTHONWARNINGS"] = "ignore"
    return env


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Both interpreters run every scenario once, in parallel; the tests compare the JSON they write."""
    ref_python = require(L2_PYTHON)
    out = {"ref": tmp_path_factory.mktemp("ref"), "ours": tmp_path_factory.mktemp("ours")}
    procs = {
        name: subprocess.Popen([str(python), str(SCRIPT), str(out[name])], cwd=out[name], env=_env(name == "ours"),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for name, python in (("ref", ref_python), ("ours", sys.executable))
    }
    for name, proc in procs.items():
        output, _ = proc.communicate(timeout=600)
        assert proc.returncode == 0, f"{name} run failed:\n{output[-4000:]}"
    return out


def _load(runs, scenario):
    return tuple(json.loads((runs[name] / f"{scenario}.json").read_text()) for name in ("ref", "ours"))


def _close(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-6)
    return a == b


def assert_same(ref, ours, path="result"):
    """Structural equality with float32 tolerance; the message names the first differing path."""
    if isinstance(ref, dict) and isinstance(ours, dict):
        assert sorted(ref) == sorted(ours), f"{path}: keys differ: only real {sorted(set(ref) - set(ours))}, " \
                                             f"only ours {sorted(set(ours) - set(ref))}"
        for key in ref:
            assert_same(ref[key], ours[key], f"{path}[{key!r}]")
    elif isinstance(ref, list) and isinstance(ours, list):
        assert len(ref) == len(ours), f"{path}: length {len(ref)} (real) != {len(ours)} (ours)"
        for i, (a, b) in enumerate(zip(ref, ours)):
            assert_same(a, b, f"{path}[{i}]")
    else:
        if isinstance(ref, int) and isinstance(ours, float) or isinstance(ref, float) and isinstance(ours, int):
            ref, ours = float(ref), float(ours)
        assert _close(ref, ours), f"{path}: real {ref!r} != ours {ours!r}"


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize("part", ["snapshots", "returned", "csv", "tensorboard", "checkpoint"])
def test_logging_matches_real(runs, scenario, part):
    ref, ours = _load(runs, scenario)
    keys = {
        "snapshots": ["snapshots", "final_callback", "final_logged"], "returned": ["returned"],
        "csv": ["csv_header", "csv_rows"], "tensorboard": ["tb_scalars"],
        "checkpoint": ["best_model", "best_score", "checkpoints", "stopped"],
    }[part]
    if scenario == "stage_hooks" and part == "returned":
        keys += ["same_name_error", "predict_acc"]
    assert ref["snapshots"], "the scenario recorded nothing"
    for key in keys:
        assert_same(ref[key], ours[key], f"{scenario}: {key}")


def test_log_edge_cases_match_real(runs):
    """Errors (by type), warnings (by key phrase), values, dtypes and graphs of self.log's edge cases."""
    ref, ours = (json.loads((runs[name] / "probes.json").read_text()) for name in ("ref", "ours"))
    assert len(ref) >= 20
    for probe in ref:
        assert_same(ref[probe], ours[probe], probe)
