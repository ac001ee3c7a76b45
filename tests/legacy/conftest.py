"""Shared fixtures of the legacy-layer tests: strict mode on demand, fresh warnings, the real 2.6.6 reactions."""
import json
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)  # samples.py


@pytest.fixture(autouse=True)
def _fresh_legacy_warnings(monkeypatch):
    """Each legacy use warns once per process; tests need to see it every time."""
    from lightning.pytorch._legacy import usage as legacy

    monkeypatch.setattr(legacy, "_seen", set())
    monkeypatch.delenv("LIGHTNING_COMPAT_STRICT", raising=False)


@pytest.fixture
def strict(monkeypatch):
    monkeypatch.setenv("LIGHTNING_COMPAT_STRICT", "1")


@pytest.fixture(scope="session")
def reference():
    with open(os.path.join(HERE, "reference", "strict_2_6_6.json")) as f:
        return json.load(f)


def outcome(fn):
    """The name of the exception ``fn`` raises, or "ok" (compared with the real 2.6.6 reaction)."""
    try:
        fn()
        return "ok"
    except Exception as err:  # noqa: BLE001
        return type(err).__name__
