"""tests/cli: load the fixture generator (and the app it drives) exactly as the reference run used them."""
import importlib.util
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "cli"


def load_generator():
    if str(FIXTURES) not in sys.path:
        sys.path.insert(0, str(FIXTURES))
    spec = importlib.util.spec_from_file_location("cli_fixture_generator", FIXTURES / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def generator():
    return load_generator()


@pytest.fixture(scope="session")
def cli_app(generator):
    import cli_app

    return cli_app


@pytest.fixture(autouse=True)
def _no_command_line(monkeypatch):
    """pytest's own arguments are not meant for the CLIs under test (LightningCLI warns when it sees both)."""
    monkeypatch.setattr(sys, "argv", ["prog"])


@pytest.fixture(autouse=True)
def _no_seed_leak(monkeypatch):
    """seed_everything (which every CLI run calls) exports PL_GLOBAL_SEED / PL_SEED_WORKERS: start each test without
    them and put the previous state back afterwards, so no later test inherits a seed."""
    for name in ("PL_GLOBAL_SEED", "PL_SEED_WORKERS"):
        monkeypatch.setenv(name, "")  # records the current state for the undo
        monkeypatch.delenv(name)
