"""Fabric with two processes on CPU (gloo): ``strategy="ddp"`` started by ``fabric.launch()``, and
``strategy="fsdp"`` started by ``fabric run`` (torchrun). Both ranks end with the same weights, equal to one process
training on the combined batches; the data is sharded; clipping sees the full gradient; collectives and
``no_backward_sync`` work; the checkpoint (consolidated for FSDP) loads into a one-process Fabric."""
import json
import os
import runpy
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import torch

SCRIPT = Path(__file__).parent / "scripts" / "train.py"
_DDP = {"accelerator": "cpu", "devices": 2, "strategy": "ddp"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env() -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LT_", "PL_")) and k not in ("LOCAL_RANK", "RANK", "WORLD_SIZE", "NODE_RANK",
                                                            "MASTER_ADDR", "MASTER_PORT")}
    env["MASTER_PORT"] = str(_free_port())
    env["OMP_NUM_THREADS"] = "1"
    return env


def _single_process_on_combined_batches(tmp_path: Path) -> dict:
    out = tmp_path / "single"
    out.mkdir()
    argv, environ = sys.argv, dict(os.environ)
    sys.argv = [str(SCRIPT), str(out), "launch", json.dumps({"accelerator": "cpu", "devices": 1}), "8"]
    try:
        runpy.run_path(str(SCRIPT), run_name="__main__")
    finally:  # the script seeds (PL_GLOBAL_SEED, PL_SEED_WORKERS): keep that out of the other tests
        sys.argv = argv
        os.environ.clear()
        os.environ.update(environ)
    return torch.load(out / "rank0.pt", weights_only=False)


def _checkpoint_in_one_process(path: Path) -> dict:
    import lightning as L

    fabric = L.Fabric(accelerator="cpu", devices=1)
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    model, optimizer = fabric.setup(model, optimizer)
    remainder = fabric.load(path, {"model": model, "optimizer": optimizer})
    assert remainder == {"epoch": 2}
    return model.state_dict()


def _check_ranks(results: list, single: dict, strategy: str, tmp_path: Path) -> None:
    rank0, rank1 = results
    assert [r["rank"] for r in results] == [0, 1] and [r["world_size"] for r in results] == [2, 2]
    assert {r["strategy"] for r in results} == {strategy}
    saved = _checkpoint_in_one_process(tmp_path / "fabric.ckpt")
    for name, expected in single["weights"].items():
        torch.testing.assert_close(saved[name], expected, rtol=1e-5, atol=1e-6)
        if rank0["weights"] is not None:  # unsharded: each rank's own copy
            torch.testing.assert_close(rank0["weights"][name], saved[name], rtol=0, atol=0)
            torch.testing.assert_close(rank1["weights"][name], saved[name], rtol=0, atol=0)
    # each rank saw its own half of the data, every sample once per epoch
    assert set(rank0["seen"]).isdisjoint(rank1["seen"]) and sorted(rank0["seen"] + rank1["seen"]) == sorted(
        list(range(32)) * 2)
    assert [r["loader_len"] for r in results] == [4, 4]
    if "local_grads" in rank0:
        # no_backward_sync: the ranks' own gradients differ; the next backward averages the accumulated ones
        local, synced = rank0["local_grads"], rank0["synced_grads"]
        assert not torch.allclose(local[0], local[1])
        torch.testing.assert_close(synced[0], synced[1], rtol=0, atol=0)
        torch.testing.assert_close(synced[0], local[0] + local[1], rtol=1e-5, atol=1e-6)
    for result in results:  # the clipped norm is the norm of the full (synchronized, unsharded) gradient
        assert result["norms"] == pytest.approx(single["norms"], rel=1e-5)
        assert result["sum"] == 3.0 and result["mean"] == 1.5
        assert result["gathered"] == [[0], [1]]
        assert result["broadcast"] == "from-0"


def test_ddp_by_launch_and_fsdp_by_fabric_run_match_one_process(tmp_path):
    # both runs start at once in the background (most of their time is process start-up and waiting), while the
    # one-process reference runs here
    runs = {
        "DDPStrategy": (tmp_path / "ddp", [sys.executable, str(SCRIPT)], ["launch", json.dumps(_DDP)]),
        "FSDPStrategy": (tmp_path / "fsdp", [sys.executable, "-m", "lightning.fabric.cli", "run", "--accelerator",
                                             "cpu", "--devices", "2", "--strategy", "fsdp", "--main-port",
                                             str(_free_port()), str(SCRIPT)], ["cli"]),
    }
    procs = {}
    try:
        for strategy, (out, command, args) in runs.items():
            out.mkdir()
            procs[strategy] = subprocess.Popen([*command, str(out), *args], env=_env(), cwd=out, text=True,
                                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        single = _single_process_on_combined_batches(tmp_path)
        for strategy, proc in procs.items():
            output, _ = proc.communicate(timeout=300)
            assert proc.returncode == 0, f"{strategy} run failed:\n{output[-5000:]}"
            out = runs[strategy][0]
            results = [torch.load(out / f"rank{r}.pt", weights_only=False) for r in range(2)]
            _check_ranks(results, single, strategy, out)
            assert ("local_grads" in results[0]) == (strategy == "DDPStrategy")
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.kill()
