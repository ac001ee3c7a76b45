"""Failures in a multi-process run: a rank that raises takes every process down promptly with its traceback shown
(nobody waits for the collective timeout); a main port in use and unknown strategies give clear messages."""
import os
import socket

import pytest

import lightning as L
from lightning.fabric.plugins.environments import LightningEnvironment
from lightning.fabric.utilities.distributed import _init_dist_connection
from lightning.pytorch.demos.boring_classes import BoringModel
from lightning.pytorch.utilities.exceptions import MisconfigurationException
from tests.distributed.runner import clean_env, processes_mentioning

_PROMPT_S = 150  # start-up of 2 processes, while the other launches of the session run too, included


@pytest.mark.parametrize("fail_rank", [1, 0], ids=["child-rank-raises", "rank-zero-raises"])
def test_a_rank_that_raises_stops_every_process_promptly(failing_launches, fail_rank):
    """The run's collective timeout is 600 s: only the launcher's cleanup can end it within ``_PROMPT_S``."""
    launch = failing_launches[f"fail_rank{fail_rank}"]
    result = launch.result(timeout=_PROMPT_S, check=False)
    assert result.returncode != 0
    assert f"deliberate failure on rank {fail_rank} at step 2" in result.stderr  # the traceback is shown
    assert launch.elapsed < _PROMPT_S
    assert not list(launch.out.glob("rank*.pt"))  # nobody finished
    assert processes_mentioning(str(launch.out)) == []  # and nobody is left behind


@pytest.fixture
def busy_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        yield sock.getsockname()[1]


def test_port_in_use_before_launch_says_so(busy_port, monkeypatch, tmp_path):
    import lightning.fabric.strategies.launchers.subprocess_script as launcher_module  # (the engine launches)

    env = clean_env(MASTER_PORT=str(busy_port))
    for key in ("LOCAL_RANK", "WORLD_SIZE", "NODE_RANK", "MASTER_ADDR", "TORCHELASTIC_RUN_ID", "SLURM_NTASKS"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("MASTER_PORT", env["MASTER_PORT"])

    def no_launch(*args, **kwargs):
        raise AssertionError("a child process was launched although the port is taken")

    monkeypatch.setattr(launcher_module.subprocess, "Popen", no_launch)
    trainer = L.Trainer(accelerator="cpu", devices=2, strategy="ddp", max_steps=1, logger=False,
                        enable_checkpointing=False, enable_progress_bar=False, default_root_dir=str(tmp_path))
    with pytest.raises(RuntimeError, match=rf"MASTER_PORT={busy_port}: the port is already in use"):
        trainer.fit(BoringModel())
    assert "LOCAL_RANK" not in os.environ  # nothing was set up as if launched


def test_port_in_use_when_joining_the_process_group_says_so(busy_port, monkeypatch):
    import torch.distributed

    monkeypatch.setenv("MASTER_PORT", str(busy_port))
    monkeypatch.setenv("MASTER_ADDR", "127.0.0.1")
    environment = LightningEnvironment()
    try:
        with pytest.raises(RuntimeError, match=rf"MASTER_PORT={busy_port}: the port is already in use.*Unset"):
            _init_dist_connection(environment, "gloo", global_rank=0, world_size=1)
    finally:
        if torch.distributed.is_initialized():
            torch.distributed.destroy_process_group()


@pytest.mark.parametrize("name", ["deepspeed", "deepspeed_stage_2"])
def test_deepspeed_gives_a_clear_error(name):
    with pytest.raises(MisconfigurationException, match="deepspeed"):
        L.Trainer(accelerator="cpu", strategy=name, logger=False)


def test_unknown_strategy_lists_the_known_ones():
    with pytest.raises(ValueError, match=r"invalid strategy name: `strategy='dpp'`.*ddp_spawn.*fsdp"):
        L.Trainer(accelerator="cpu", strategy="dpp", logger=False)


def test_bad_ddp_arguments():
    from lightning.pytorch.strategies import DDPStrategy, FSDPStrategy

    with pytest.raises(ValueError, match="start_method"):
        DDPStrategy(start_method="thread")
    with pytest.raises(ValueError, match="sharding_strategy"):
        FSDPStrategy(sharding_strategy="EVERYWHERE")
    with pytest.raises(ValueError, match="state_dict_type"):
        FSDPStrategy(state_dict_type="partial")


def test_ddp_without_a_script_to_rerun_says_so(monkeypatch):
    import sys
    import types

    from lightning.pytorch.strategies.launchers.subprocess_script import _script_command

    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))  # no __spec__: not `python -m`
    monkeypatch.setattr(sys, "argv", ["-c"])
    with pytest.raises(RuntimeError, match=r"sys.argv\[0\]='-c'.*ddp_spawn"):
        _script_command()
    script = __file__
    monkeypatch.setattr(sys, "argv", [script, "--flag"])
    assert _script_command() == [sys.executable, script, "--flag"]


@pytest.mark.parametrize("strategy", ["ddp", "ddp_spawn"])
def test_interactive_sessions_need_ddp_notebook(monkeypatch, strategy):
    import sys

    monkeypatch.delenv("LOCAL_RANK", raising=False)
    monkeypatch.setattr(sys, "ps1", ">>> ", raising=False)
    with pytest.raises(ValueError, match="ddp_notebook"):
        L.Trainer(accelerator="cpu", devices=2, strategy=strategy, logger=False)
    trainer = L.Trainer(accelerator="cpu", devices=2, strategy="ddp_notebook", logger=False)
    assert trainer.strategy.launcher.is_interactive_compatible
