"""``Trainer(val_check_interval=...)`` behaves as the real 2.6.6 for every int/float case (a whole float above 1
counts as the int, 1.5 and negatives raise, a float needs ``check_val_every_n_epoch``): where each configuration
validates, or which error it raises and when, side by side over one table."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import lightning.pytorch as pl
from lightning.pytorch.utilities.exceptions import MisconfigurationException
from tests.reference import L2_PYTHON, require

SCRIPT = str(Path(__file__).resolve().parent / "val_check_table.py")


def _table(python, cwd):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run = subprocess.run([str(python), SCRIPT], capture_output=True, text=True, env=env, cwd=cwd, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.splitlines()[-1])


def test_val_check_interval_table_matches_lightning_2_6_6(tmp_path):
    ref = _table(require(L2_PYTHON), tmp_path)
    ours = _table(sys.executable, tmp_path)
    assert ours == ref
    assert ours["2.0, every 1"] == ours["2, every 1"] == [2, 4, 6, 8]  # the case that used to validate never


@pytest.mark.parametrize("value", [1.5, -1, -0.5, 2.5])
def test_invalid_value_says_what_is_allowed(value):
    with pytest.raises(MisconfigurationException, match=r"it has to be in \[0.0, 1.0\] or an int"):
        pl.Trainer(val_check_interval=value)
