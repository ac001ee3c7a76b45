"""lit-migrate's own end-to-end cases (fixtures/migrate/e2e/): each 1.x script, migrated, runs on the real
lightning 2.6.6 and ends exactly where the real pytorch_lightning 1.9.5 ended (expected/, by generate.py)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from lit_migrate import cli

from .conftest import FIXTURES

E2E = FIXTURES / "e2e"
SCRIPTS = sorted(p for p in E2E.glob("*.py") if p.name != "generate.py")


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_migrated_script_ends_where_1x_ended(script, real_l2, tmp_path):
    target = tmp_path / script.name
    shutil.copy(script, target)
    assert cli.main([str(target), "-q", "-j", "1"]) == cli.EXIT_OK
    assert not re.search(r"^\s*(from|import) pytorch_lightning\b", target.read_text(), re.MULTILINE)
    proc = subprocess.run([str(real_l2), target.name], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    expected = json.loads((E2E / "expected" / f"{script.stem}.json").read_text())
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == expected
