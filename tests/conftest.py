"""Suite-wide settings: one intra-op thread per test process (the suite runs on 2 cores with 2 xdist workers,
so more threads would only contend), and no inherited strict mode."""
import os

import pytest
import torch

torch.set_num_threads(1)


@pytest.fixture(autouse=True)
def _no_inherited_strict_mode(monkeypatch):
    monkeypatch.delenv("LIGHTNING_COMPAT_STRICT", raising=False)
    yield


def pytest_configure(config):
    os.environ.setdefault("PYTHONHASHSEED", "0")
