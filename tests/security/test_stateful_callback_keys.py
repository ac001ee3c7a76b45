"""Two stateful callbacks under one ``state_key`` would overwrite each other's state in the checkpoint (after a resume,
``save_top_k=1`` kept two files): the Trainer refuses them when built, for every callback exactly where the real
2.6.6 does (side by side over every callback class, plus a user's own)."""
from pathlib import Path

import pytest

import lightning.pytorch as pl
from lightning.pytorch.callbacks import ModelCheckpoint
from tests.security.side_by_side import run_both

SCRIPT = Path(__file__).resolve().parent / "stateful_callbacks.py"


def test_duplicate_state_keys_refused_as_in_lightning_2_6_6(tmp_path):
    ours, ref = run_both(SCRIPT, cwd=tmp_path)
    assert ours == ref
    refused = {case for case, result in ours.items() if result.startswith("raises: Found more than one")}
    assert {"ModelCheckpoint twice", "EarlyStopping twice", "Timer twice", "StochasticWeightAveraging twice",
            "user stateful twice"} <= refused
    assert ours["ModelCheckpoint different monitors"] == ours["user stateful, own keys"] == "accepted"


def test_message_names_the_type_and_the_fix():
    with pytest.raises(RuntimeError, match="Found more than one stateful callback of type `ModelCheckpoint`") as err:
        pl.Trainer(callbacks=[ModelCheckpoint(monitor="loss"), ModelCheckpoint(monitor="loss")])
    assert "state_key" in str(err.value) and "monitor" in str(err.value)
