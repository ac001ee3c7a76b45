"""Hyperparameters of value types (numpy scalars and arrays, date/datetime/time/timedelta, Decimal, Fraction, slice)
are stored as plain values plus a description, so the user's own file loads weights-only everywhere
(``torch.load``, ``load_from_checkpoint``, ``fit(ckpt_path=)``) and comes back with the same types; the real 2.6.6
loads the file too. What has no plain form (a module, a function) is named at save time and, at load time, by key,
with how to opt in."""
import json
import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import torch

import lightning.pytorch as pl
from tests.reference import L2_PYTHON, require
from tests.security.hparams_value_kinds import ValueKindsModel, value_kinds

HERE = Path(__file__).resolve().parent


def _trainer(**kwargs):
    return pl.Trainer(logger=False, enable_checkpointing=False, enable_progress_bar=False, enable_model_summary=False,
                      limit_train_batches=2, limit_val_batches=0, **kwargs)


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    path = tmp_path_factory.mktemp("kinds") / "kinds.ckpt"
    trainer = _trainer(max_steps=1)
    trainer.fit(ValueKindsModel(**value_kinds()))
    trainer.save_checkpoint(path)
    return path


def _same(a, b):
    """Equal, with the same types (and dtypes and shapes) all the way down."""
    assert type(a) is type(b), (a, b)
    if isinstance(a, dict):
        assert list(a) == list(b)
        for key in a:
            _same(a[key], b[key])
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            _same(x, y)
    elif isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b)
    else:
        assert a == b and (not isinstance(a, np.generic) or a.dtype == b.dtype)


def test_file_is_plain_data(saved):
    checkpoint = torch.load(saved)  # weights_only=True
    stored = checkpoint["hyper_parameters"]
    assert type(stored["lr"]) is float and stored["lr"] == 0.1  # numpy scalars as Python numbers
    assert stored["grid"] == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]] and stored["day"] == "2024-01-02"
    assert stored["price"] == "1.10" and stored["ratio"] == "1/3" and stored["window"] == [1, None, 2]
    types = checkpoint["hyper_parameters_types"]
    assert types["lr"] == {"kind": "numpy", "dtype": "<f8"}
    assert types["empty"] == {"kind": "ndarray", "dtype": "<i2", "shape": [0, 3]}
    assert set(types) == set(value_kinds())


def test_load_from_checkpoint_and_resume_get_the_same_values(saved):
    _same(dict(ValueKindsModel.load_from_checkpoint(saved).hparams), value_kinds())
    model = ValueKindsModel(**value_kinds())
    trainer = _trainer(max_steps=3)
    trainer.fit(model, ckpt_path=saved)  # weights-only resume of the user's own file
    assert trainer.global_step == 3


_REAL_SIDE = textwrap.dedent(
    """
    import json, sys, warnings
    warnings.simplefilter("ignore")
    from tests.security.hparams_value_kinds import ValueKindsModel
    model = ValueKindsModel.load_from_checkpoint(sys.argv[1])
    print(json.dumps({k: repr(v) for k, v in model.hparams.items()}))
    """
)


def test_real_2_6_6_loads_the_file_with_the_plain_values(saved):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(HERE.parents[1])  # the repository (for tests.security), not compat/
    proc = subprocess.run([str(require(L2_PYTHON)), "-c", _REAL_SIDE, str(saved)], capture_output=True, text=True,
                          env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    real_side = json.loads(proc.stdout.strip().splitlines()[-1])
    assert "site-packages" in subprocess.run([str(require(L2_PYTHON)), "-c", "import lightning; print(lightning.__file__)"],
                                             capture_output=True, text=True, env=env).stdout
    stored = torch.load(saved)["hyper_parameters"]
    assert real_side == {name: repr(value) for name, value in stored.items()}


def test_no_plain_form_is_named_at_save_and_at_load_by_key(tmp_path):
    model = ValueKindsModel(net=torch.nn.Linear(2, 2), lr=np.float64(0.1))
    trainer = _trainer(max_steps=1)
    trainer.fit(model)
    with pytest.warns(UserWarning, match=r"'net' is a Linear, which is pickled.*ignore=\['net'\]"):
        trainer.save_checkpoint(tmp_path / "net.ckpt")
    with pytest.raises(pickle.UnpicklingError) as err:
        ValueKindsModel.load_from_checkpoint(tmp_path / "net.ckpt")
    assert "checkpoint['hyper_parameters']['net']" in str(err.value) and "weights_only=False" in str(err.value)
    loaded = ValueKindsModel.load_from_checkpoint(tmp_path / "net.ckpt", weights_only=False)
    assert isinstance(loaded.hparams.net, torch.nn.Linear) and type(loaded.hparams.lr) is np.float64


@pytest.mark.parametrize("stored, spec", [
    ("abc", {"kind": "decimal"}), ("1/0", {"kind": "fraction"}), ([1, 2], {"kind": "slice", "items": None}),
    ([1.0], {"kind": "ndarray", "dtype": "O", "shape": [1]}), (1, {"kind": "numpy", "dtype": "datetime64[s]"}),
    ("x", {"kind": "datetime", "type": "os.system"}), ("2024-13-01", {"kind": "datetime", "type": "date"}),
])
def test_tampered_descriptions_keep_the_stored_value_with_a_warning(stored, spec):
    from lightning.pytorch.core.saving import _restore_converted_hparams

    with pytest.warns(UserWarning, match="could not be rebuilt"):
        assert _restore_converted_hparams({"v": stored}, {"v": spec}) == {"v": stored}
