"""Migrated fixtures run under the real lightning 2.6.6: every statement the codemod did not flag for review
imports, defines or constructs without error (Trainers, callbacks, loggers, classes)."""

from __future__ import annotations

import json
import subprocess

from update_expected import options_for

from lit_migrate.engine import migrate_source

from .conftest import ROOT, cases, expected_path

RUNNER = ROOT / "tests" / "migrate" / "real" / "run_expected.py"
# Fixtures whose expected output keeps the legacy namespace or unknown packages on purpose.
NOT_RUNNABLE = {"keep_namespace", "unrelated_names", "metrics_and_removed", "no_lightning"}


def _caveats(case) -> list[str]:
    """The caveat comments of a case's expected file (they remark on a rewrite; review notes ask for a human)."""
    source = case.read_text(encoding="utf-8")
    return [c.message for c in migrate_source(source, str(case), options_for(source)).caveats]


def test_migrated_fixtures_run_under_real_lightning(real_l2, tmp_path):
    files = {str(expected_path(c)): _caveats(c) for c in cases() if c.name.split(".")[0] not in NOT_RUNNABLE}
    proc = subprocess.run([str(real_l2), str(RUNNER)], input=json.dumps(files), capture_output=True, text=True,
                          timeout=300, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    failures = {k: v for k, v in json.loads(proc.stdout.strip().splitlines()[-1]).items() if v}
    assert failures == {}, json.dumps(failures, indent=1)
