"""Shared helpers for the lit-migrate tests: fixture cases and the real Lightning 2.6.6 interpreter."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "migrate"
from tests.reference import L2_PYTHON as REAL_L2, PL1_PYTHON as REAL_PL1, require  # noqa: E402

sys.path.insert(0, str(FIXTURES))  # update_expected.options_for: the fixture option header, read in one place


def cases() -> list[Path]:
    return sorted(FIXTURES.glob("*/*.input.py"))


def expected_path(case: Path) -> Path:
    return case.with_name(case.name.replace(".input.py", ".expected.py"))


@pytest.fixture
def real_l2() -> Path:
    return require(REAL_L2)
