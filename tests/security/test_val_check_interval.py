"""``Trainer(val_check_interval=...)`` behaves as the real 2.6.6 for every int/float case (a whole float above 1
counts as the int, 1.5 and negatives raise, a float needs ``check_val_every_n_epoch``): where each configuration
validates, or which error it raises and when, side by side over one table."""
from pathlib import Path

import pytest

import lightning.pytorch as pl
from lightning.pytorch.utilities.exceptions import MisconfigurationException
from tests.security.side_by_side import run_both

SCRIPT = Path(__file__).resolve().parent / "val_check_table.py"


def test_val_check_interval_table_matches_lightning_2_6_6(tmp_path):
    ours, ref = run_both(SCRIPT, cwd=tmp_path)
    assert ours == ref
    assert ours["2.0, every 1"] == ours["2, every 1"] == [2, 4, 6, 8]  # the case that used to validate never


@pytest.mark.parametrize("value", [1.5, -1, -0.5, 2.5])
def test_invalid_value_says_what_is_allowed(value):
    with pytest.raises(MisconfigurationException, match=r"it has to be in \[0.0, 1.0\] or an int"):
        pl.Trainer(val_check_interval=value)
