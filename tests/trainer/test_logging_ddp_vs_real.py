"""Logging under two-process DDP (CPU, gloo) side by side with the real lightning 2.6.6: logging_ddp_scenario.py runs
under both, and each rank's metric dictionaries, validate() results, metrics.csv rows and checkpoint choice must agree
(sync_dist step and epoch values, values left unsynced, torchmetrics objects, epoch-end logging)."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.distributed.runner import clean_env, free_port
from tests.reference import L2_PYTHON, require
from tests.trainer.test_logging_vs_real import COMPAT, assert_same

SCRIPT = Path(__file__).with_name("logging_ddp_scenario.py")


@pytest.fixture(scope="module")
def ddp_runs(tmp_path_factory):
    ref_python = require(L2_PYTHON)
    out = {"ref": tmp_path_factory.mktemp("ddp_ref"), "ours": tmp_path_factory.mktemp("ddp_ours")}
    procs = {}
    for name, python in (("ref", ref_python), ("ours", sys.executable)):
        env = clean_env(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(free_port()), PYTHONWARNINGS="ignore")
        env.pop("PYTHONPATH", None)
        if name == "ours":
            env["PYTHONPATH"] = str(COMPAT)
        procs[name] = subprocess.Popen([str(python), str(SCRIPT), str(out[name])], cwd=out[name], env=env,
                                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                       start_new_session=True)
    for name, proc in procs.items():
        try:
            output, _ = proc.communicate(timeout=300)
        except subprocess.TimeoutExpired:
            import os
            import signal

            os.killpg(proc.pid, signal.SIGKILL)  # the launcher and the rank it started
            output, _ = proc.communicate()
        assert proc.returncode == 0, f"{name} DDP run failed:\n{output[-4000:]}"
    return out


@pytest.mark.parametrize("rank", [0, 1])
def test_ddp_logging_matches_real(ddp_runs, rank):
    ref, ours = (json.loads((ddp_runs[name] / f"rank{rank}.json").read_text()) for name in ("ref", "ours"))
    assert ref["world_size"] == 2 and ref["snapshots"]
    # same share of the data on each rank, else the per-rank values could not be compared
    assert_same(ref["seen"], ours["seen"], f"rank{rank}: seen")
    for key in sorted(ref):
        assert_same(ref[key], ours[key], f"rank{rank}: {key}")


def test_ddp_scenario_tells_synced_from_unsynced_values(ddp_runs):
    """The scenario is sharp: the ranks see different data, so only synced values agree between them."""
    ranks = [json.loads((ddp_runs["ours"] / f"rank{r}.json").read_text()) for r in (0, 1)]
    last = [r["snapshots"][-2]["callback"] for r in ranks]  # the last training epoch's end
    assert last[0]["train_loss_epoch"] == pytest.approx(last[1]["train_loss_epoch"])
    assert last[0]["rank_loss_epoch"] != pytest.approx(last[1]["rank_loss_epoch"])
