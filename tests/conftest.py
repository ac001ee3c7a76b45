"""Suite-wide settings: one intra-op thread per test process (the suite runs on 2 cores with 2 xdist workers,
so more threads would only contend), no inherited strict mode, and each test in its own working directory."""
import logging
import os

import pytest
import torch

torch.set_num_threads(1)
_LOGGERS = ("lightning.pytorch", "lightning.fabric", "pytorch_lightning", "lightning_fabric")


@pytest.fixture(autouse=True)
def _isolated_run(monkeypatch, tmp_path):
    """No inherited strict mode, and a fresh working directory: `Trainer()` writes `lightning_logs/` (and
    callbacks their files) under the cwd, which must never be the repository."""
    from lightning.fabric.utilities.rank_zero import rank_zero_only
    from lightning.pytorch._legacy import usage as legacy

    monkeypatch.delenv("LIGHTNING_COMPAT_STRICT", raising=False)
    monkeypatch.chdir(tmp_path)
    legacy._seen.clear()  # each legacy warning fires once per process: give every test its own "once"
    # process-wide state a test may change in-process (a cluster environment setting the global rank, a reference
    # generator quieting the loggers): restored so the next test in the same worker starts clean
    rank = rank_zero_only.rank
    levels = {name: logging.getLogger(name).level for name in _LOGGERS}
    yield
    rank_zero_only.rank = rank
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def pytest_configure(config):
    os.environ.setdefault("PYTHONHASHSEED", "0")
