"""Shared helpers for the lit-migrate tests: fixture cases and the real Lightning 2.6.6 interpreter."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "migrate"
REAL_L2 = Path("/work/ref/l2/bin/python")
REAL_PL1 = Path("/work/ref/pl1/bin/python")

sys.path.insert(0, str(FIXTURES))  # update_expected.options_for: the fixture option header, read in one place


def cases() -> list[Path]:
    return sorted(FIXTURES.glob("*/*.input.py"))


def expected_path(case: Path) -> Path:
    return case.with_name(case.name.replace(".input.py", ".expected.py"))


@pytest.fixture
def real_l2() -> Path:
    if not REAL_L2.exists():
        pytest.skip("the real lightning 2.6.6 interpreter (/work/ref/l2) is not installed")
    return REAL_L2
