"""Steps that take ``dataloader_iter`` side by side with the real lightning 2.6.6 (dataloader_iter_scenarios.py): the
step pulls its own batches in every stage; the hooks around it, the step counts, the progress counters, the
profiled fetches and the warning are the same."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reference import L2_PYTHON, require

SCRIPT = Path(__file__).with_name("dataloader_iter_scenarios.py")
COMPAT = Path(__file__).resolve().parents[2] / "compat"
SCENARIOS = ["one_per_step", "two_per_step", "two_per_step_unlimited", "three_per_step_two_val_loaders", "profiled",
             "warned"]


def _run(python: Path, ours: bool, cwd: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if ours:
        env["PYTHONPATH"] = str(COMPAT)
    env["PYTHONWARNINGS"] = "ignore"
    return subprocess.Popen([str(python), str(SCRIPT)], cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    procs = {name: _run(python, name == "ours", tmp_path_factory.mktemp(name))
             for name, python in (("ref", require(L2_PYTHON)), ("ours", Path(sys.executable)))}
    out = {}
    for name, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=600)
        assert proc.returncode == 0, f"{name} run failed:\n{stderr[-4000:]}"
        out[name] = json.loads(stdout.strip().splitlines()[-1])
    return out


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_same_as_lightning_2_6_6(results, scenario):
    assert results["ours"][scenario] == results["ref"][scenario]
    assert results["ref"][scenario]  # the scenario observed something
