"""Helpers for the distributed tests: free ports, and running ``scripts/train.py`` the ways users launch it
(plain ``python`` with ``strategy="ddp"``, ``torchrun``, one launch per "node"), always under a timeout."""
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional

import torch

SCRIPT = Path(__file__).parent / "scripts" / "train.py"
PYTHON = sys.executable
RUN_TIMEOUT_S = 240  # a run takes 10-60 s on 2 busy cores (several overlap); this only guards against hangs


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_env(**extra: str) -> dict:
    """This environment without launcher variables a surrounding run might have left, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k not in (
        "LOCAL_RANK", "RANK", "WORLD_SIZE", "NODE_RANK", "GROUP_RANK", "MASTER_ADDR", "MASTER_PORT",
        "TORCHELASTIC_RUN_ID", "SLURM_NTASKS", "SLURM_JOB_NAME", "PL_GLOBAL_SEED")}
    env.update(OMP_NUM_THREADS="1", PYTHONUNBUFFERED="1", **extra)
    return env


class Job:
    """``scripts/train.py`` started in the background (so that the launches of a test session overlap); ``result()``
    waits for it under a timeout and kills it (and its ranks, via the kill of the launcher) if it hangs."""

    def __init__(self, out: Path, *args: str, launcher: tuple = (), env: Optional[dict] = None) -> None:
        out.mkdir(parents=True, exist_ok=True)
        self.out = out
        command = [*launcher, str(SCRIPT)] if launcher else [PYTHON, str(SCRIPT)]
        self.started = time.monotonic()
        self.proc = subprocess.Popen([*command, "--out", str(out), *args], env=env or clean_env(), text=True,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        self.elapsed: Optional[float] = None
        self._result: Optional[subprocess.CompletedProcess] = None

    def result(self, timeout: float = RUN_TIMEOUT_S, check: bool = True) -> subprocess.CompletedProcess:
        if self._result is None:
            try:
                stdout, stderr = self.proc.communicate(timeout=max(1.0, self.started + timeout - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                stdout, stderr = self.proc.communicate()
                raise AssertionError(f"run did not finish within {timeout} s:\n{stdout[-2000:]}\n{stderr[-4000:]}")
            self.elapsed = time.monotonic() - self.started
            self._result = subprocess.CompletedProcess(self.proc.args, self.proc.returncode, stdout, stderr)
        result = self._result
        if check and result.returncode != 0:
            raise AssertionError(f"run failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}")
        return result


def run_script(out: Path, *args: str, launcher: tuple = (), env: Optional[dict] = None,
               timeout: float = RUN_TIMEOUT_S, check: bool = True) -> subprocess.CompletedProcess:
    return Job(out, *args, launcher=launcher, env=env).result(timeout=timeout, check=check)


def load_rank(out: Path, rank: int) -> dict:
    return torch.load(out / f"rank{rank}.pt", weights_only=False)


def processes_mentioning(text: str) -> list:
    """PIDs of live processes whose command line contains ``text`` (to prove no rank was left behind)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                if text.encode() in handle.read():
                    found.append(int(entry))
        except OSError:
            continue
    return found


def run_forked(function, nprocs: int, *args, env_for_rank=None) -> None:
    """Run ``function(local_rank, *args)`` in ``nprocs`` forked processes that look launched by hand: each has
    ``LOCAL_RANK`` / ``MASTER_ADDR`` / ``MASTER_PORT`` set (or what ``env_for_rank(rank, port)`` returns, e.g. the
    variables of ``srun``), so Lightning launches nothing itself. Fast (no re-import); an exception in any process
    fails the caller with that process's traceback."""
    import torch._dynamo  # noqa: F401  (heavy lazy imports of DDP/FSDP: once here, not once per child)
    import torch.distributed.checkpoint  # noqa: F401
    import torch.distributed.fsdp  # noqa: F401
    import torch.multiprocessing as mp

    port = str(free_port())

    def entry(local_rank: int, *entry_args) -> None:
        for key in ("LOCAL_RANK", "RANK", "WORLD_SIZE", "NODE_RANK", "GROUP_RANK", "TORCHELASTIC_RUN_ID",
                    "SLURM_NTASKS", "MASTER_ADDR", "MASTER_PORT"):
            os.environ.pop(key, None)
        if env_for_rank is None:
            os.environ.update(LOCAL_RANK=str(local_rank), MASTER_ADDR="127.0.0.1", MASTER_PORT=port)
        else:
            os.environ.update(env_for_rank(local_rank, port))
        os.environ["OMP_NUM_THREADS"] = "1"
        function(local_rank, *entry_args)

    mp.start_processes(entry, args=args, nprocs=nprocs, start_method="fork")


def single_process_fit(train_module, root: Path, epochs: int, resume=None, save=None) -> dict:
    """The reference for the 2-rank runs: one process, batch size 8 (= 2 ranks x 4), same seed and data."""
    from torch.utils.data import DataLoader

    import lightning as L

    L.seed_everything(7, verbose=False)
    model = train_module.Regression()
    data = train_module.IndexedData()
    trainer = L.Trainer(accelerator="cpu", devices=1, max_epochs=epochs, logger=False, enable_checkpointing=False,
                        enable_progress_bar=False, enable_model_summary=False, num_sanity_val_steps=0,
                        default_root_dir=str(root))
    trainer.fit(model, DataLoader(data, batch_size=8), DataLoader(data, batch_size=8), ckpt_path=resume)
    if save:
        trainer.save_checkpoint(save)
    return {"state_dict": model.state_dict(), "global_step": trainer.global_step,
            "metrics": {k: float(v) for k, v in trainer.callback_metrics.items()}}
