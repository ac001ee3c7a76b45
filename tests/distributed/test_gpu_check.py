"""``scripts/gpu_check.py``, the prepared GPU acceptance script, exercised on the CPU: its driver, one check run
for real (bf16 autocast), the SKIP summary without CUDA, and the judgement of bad results."""
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch

SCRIPT = Path(__file__).parents[2] / "scripts" / "gpu_check.py"


@pytest.fixture(scope="module")
def gpu_check():
    spec = importlib.util.spec_from_file_location("gpu_check", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_check_runs_for_real_on_the_cpu(gpu_check, monkeypatch):
    monkeypatch.setenv("PL_GLOBAL_SEED", "0")
    result = gpu_check._fit("bf16", "cpu")
    assert result["problems"] == [] and result["forward_dtypes"] == ["torch.bfloat16"]
    assert result["precision"] == "bf16-mixed" and result["steps"] == 48
    assert result["last_loss"] < result["first_loss"]


def test_the_driver_reads_the_child_result_and_reports_crashes(gpu_check, monkeypatch):
    """The driver's side of a check (the child runs in a subprocess; here a stand-in answers)."""
    answers = {}

    def fake_run(command, **kwargs):
        return subprocess.CompletedProcess(command, *answers[command[command.index("--child") + 1]])

    passed = {"check": "bf16", "problems": [], "precision": "bf16-mixed"}
    answers["bf16"] = (0, "noise\n" + gpu_check._RESULT_TAG + json.dumps(passed) + "\n", "")
    answers["amp16"] = (0, gpu_check._RESULT_TAG + json.dumps(dict(passed, problems=["loss did not fall"])), "")
    answers["ddp_nccl"] = (-11, "", "Segmentation fault")
    monkeypatch.setattr(gpu_check.subprocess, "run", fake_run)
    assert gpu_check._launch("bf16", "cuda", 10)["status"] == "PASS"
    assert gpu_check._launch("amp16", "cuda", 10)["status"] == "FAIL"
    crashed = gpu_check._launch("ddp_nccl", "cuda", 10)
    assert crashed["status"] == "FAIL" and crashed["problems"] == ["exit code -11"]
    assert "Segmentation fault" in crashed["log"]


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the summary of a machine without CUDA")
def test_without_cuda_every_check_is_skipped(gpu_check, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["gpu_check.py"])
    assert gpu_check.main() == 0
    printed = capsys.readouterr().out
    assert printed.count("SKIP") == len(gpu_check.CHECKS) and "no CUDA device" in printed


def test_bad_results_are_failures(gpu_check):
    good = {"check": "ddp_nccl", "precision": "16-mixed", "forward_dtypes": ["torch.float16"], "scaler": "GradScaler",
            "first_loss": 2.0, "last_loss": 0.5, "backend": "nccl", "rank_sums": [1.5, 1.5], "world_size": 2,
            "global_rank": 0}
    assert gpu_check._problems(good, gpu=True) == []
    bad = dict(good, forward_dtypes=["torch.float32"], scaler="NoneType", last_loss=float("nan"), backend="gloo",
               rank_sums=[1.5, 1.6])
    problems = " | ".join(gpu_check._problems(bad, gpu=True))
    for expected in ("float32", "GradScaler", "loss did not fall", "'gloo'", "disagree"):
        assert expected in problems


def test_unknown_check_is_refused():
    proc = subprocess.run([sys.executable, str(SCRIPT), "--checks", "amp16,warp"], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 2 and "unknown checks ['warp']" in proc.stderr
