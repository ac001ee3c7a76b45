"""Shared helpers for the checkpoint tests: fixture paths, the reference interpreters, the tiny model."""
import os
import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures" / "checkpoints"
L2_FIXTURES = FIXTURES / "lightning-2.6.6"
PL1_FIXTURES = FIXTURES / "pytorch_lightning-1.9.5"
from tests.reference import L2_PYTHON as REF_L2_PYTHON, PL1_PYTHON as REF_PL1_PYTHON, require  # noqa: E402

# the fixture generator's helpers (tiny model, describe(), CONFIGS) measure our files with the same code
sys.path.insert(0, str(FIXTURES))
sys.path.insert(0, str(Path(__file__).parent / "reference"))



@pytest.fixture
def ref_l2_python():
    """The real lightning 2.6.6 interpreter (the test fails when the reference venv is missing)."""
    return require(REF_L2_PYTHON)


@pytest.fixture
def fixture_copy(tmp_path):
    """Copy a fixture checkpoint into tmp_path (tests never modify the committed files)."""

    def copy(relative: str) -> Path:
        target = tmp_path / Path(relative).name
        shutil.copy(FIXTURES / relative, target)
        return target

    return copy


@pytest.fixture
def subprocess_env():
    """Environment for child interpreters that must import this project (the tests' sys.path included)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "compat"), str(FIXTURES), env.get("PYTHONPATH", "")])
    env["PYTHONWARNINGS"] = "ignore"
    return env
