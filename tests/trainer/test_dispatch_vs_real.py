"""Hook dispatch and loop edges side by side with the real lightning 2.6.6 (scenarios in dispatch_scenarios.py):
hooks wrapped on the instance are called like overrides, evaluation/prediction put each submodule's train/eval mode
back, a zero batch limit requests no dataloader, a run resumed under a step limit finishes the epoch max_steps cut."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reference import L2_PYTHON, require

SCRIPT = Path(__file__).with_name("dispatch_scenarios.py")
COMPAT = Path(__file__).resolve().parents[2] / "compat"
SCENARIOS = ["wrapped_hooks", "module_modes", "zero_limit_loaders", "resume_under_step_limit"]


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
    ref, ours = results["ref"][scenario], results["ours"][scenario]
    for case in ref:
        assert ours[case] == ref[case], f"{scenario}/{case}"
