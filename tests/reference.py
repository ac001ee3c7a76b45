"""Where the real packages live for side-by-side tests: the reference venvs `make test` builds in `.ref/`.

`scripts/reference-venvs.sh` builds them (`make ref`); LIGHTNING_COMPAT_REF points elsewhere. A test that needs one
fails when it is missing instead of skipping, so a comparison with the real package never silently stops running.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REF_DIR = Path(os.environ.get("LIGHTNING_COMPAT_REF", ROOT / ".ref"))
L2_PYTHON = REF_DIR / "l2" / "bin" / "python"  # lightning 2.6.6
PL1_PYTHON = REF_DIR / "pl1" / "bin" / "python"  # pytorch-lightning 1.9.5


def require(python: Path) -> Path:
    """The interpreter, or a test failure that says how to build it."""
    if not python.exists():
        pytest.fail(f"reference interpreter {python} is missing: run `make ref` (scripts/reference-venvs.sh)",
                    pytrace=False)
    return python
