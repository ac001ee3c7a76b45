"""Hyperparameters that are not plain data (Enum, paths, Namespace, dataclass, namedtuple, tuples of them, classes,
dtypes ...) are stored as plain data plus a description, so the file loads with plain ``torch.load`` and
``load_from_checkpoint`` rebuilds the very values; the real Lightning 2.6.6 still loads the file."""
import argparse
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import torch

import lightning.pytorch as pl
from hparams_kinds import Color, Optim, every_kind, make_model_class
from lightning.pytorch.core import saving

KindsModel = make_model_class(pl)
HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    path = tmp_path_factory.mktemp("kinds") / "kinds.ckpt"
    trainer = pl.Trainer(max_steps=1, logger=False, enable_checkpointing=False, enable_progress_bar=False,
                         enable_model_summary=False)
    trainer.fit(KindsModel(**every_kind()))
    trainer.save_checkpoint(path)
    return path


def _same(a, b):
    """Equal, with the same types all the way down (Level.HIGH == 2 would hide a lost IntEnum)."""
    assert type(a) is type(b), (a, b)
    if isinstance(a, dict):
        assert list(a) == list(b)
        for key in a:
            _same(a[key], b[key])
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            _same(x, y)
    elif hasattr(a, "__dict__") and not isinstance(a, type):
        _same(vars(a), vars(b))
    else:
        assert a == b


def test_file_loads_with_plain_torch_load_and_stores_plain_values(saved):
    checkpoint = torch.load(saved)  # weights_only=True: nothing pickled
    stored = checkpoint["hyper_parameters"]
    assert stored["color"] == "BLUE" and stored["level"] == "HIGH" and stored["data_dir"] == "/data/set"
    assert stored["args"] == {"lr": 0.02, "color": "RED"}
    assert stored["optim"] == {"name": "sgd", "betas": (0.9, 0.99), "color": "BLUE", "folder": "/runs"}
    assert stored["point"] == (1, 2.5) and stored["activation"] == "torch.nn.modules.activation.ReLU"
    assert stored["plain"] == {"lr": 0.1, "sizes": (1, 2)} and stored["dtype"] is torch.bfloat16
    types = checkpoint["hyper_parameters_types"]
    assert set(types) == {"color", "level", "data_dir", "pure", "args", "optim", "point", "pair", "nested", "tags",
                          "activation"}  # only what needed a description
    assert types["color"] == {"kind": "enum", "type": "hparams_kinds.Color"}
    assert types["nested"] == {"kind": "dict", "items": {"colors": {"kind": "list", "items": [
        {"kind": "enum", "type": "hparams_kinds.Color"}, {"kind": "enum", "type": "hparams_kinds.Color"}]}}}


def test_load_from_checkpoint_rebuilds_the_same_values(saved):
    model = KindsModel.load_from_checkpoint(saved)
    expected = every_kind()
    _same(dict(model.hparams), expected)
    assert model.hparams.optim.derived == "sgd:BLUE"  # rebuilt through the dataclass's __init__


def test_pytorch_lightning_namespace_rebuilds_them_too(saved):
    import pytorch_lightning

    model = make_model_class(pytorch_lightning).load_from_checkpoint(saved)
    _same(dict(model.hparams), every_kind())


def test_loading_never_imports_and_uses_only_types_of_the_described_kind(saved, tmp_path):
    checkpoint = torch.load(saved)
    checkpoint["hyper_parameters_types"]["color"] = {"kind": "enum", "type": "os.system"}  # not an Enum
    checkpoint["hyper_parameters_types"]["level"] = {"kind": "enum", "type": "never_imported_module_xyz.Level"}
    checkpoint["hyper_parameters_types"]["optim"] = {"kind": "dataclass", "type": "subprocess.Popen", "items": None}
    torch.save(checkpoint, tmp_path / "tampered.ckpt")
    with pytest.warns(UserWarning, match="could not be rebuilt") as record:
        model = KindsModel.load_from_checkpoint(tmp_path / "tampered.ckpt")
    messages = " ".join(str(w.message) for w in record)
    assert "`os.system` is not a class" in messages and "import its module first" in messages
    assert model.hparams.color == "BLUE" and model.hparams.level == "HIGH"  # kept as stored
    assert model.hparams.optim == checkpoint["hyper_parameters"]["optim"]
    assert "never_imported_module_xyz" not in sys.modules


def test_files_written_with_the_first_table_still_load():
    stored = {"args": {"lr": 0.1}, "data_dir": "/data"}
    rebuilt = saving._restore_converted_hparams(stored, {"args": "argparse.Namespace", "data_dir": "pathlib.Path"})
    assert rebuilt == {"args": argparse.Namespace(lr=0.1), "data_dir": Path("/data")}


def test_value_with_no_plain_form_is_still_reported(tmp_path):
    plain, converted = saving.hparams_for_checkpoint({"ok": Color.RED}, "M")
    assert plain == {"ok": "RED"} and converted == {"ok": {"kind": "enum", "type": "hparams_kinds.Color"}}
    with pytest.warns(UserWarning, match=r"'head' is a Linear, which is pickled.*ignore=\['head'\]"):
        plain, converted = saving.hparams_for_checkpoint({"head": torch.nn.Linear(1, 1), "o": Optim()}, "M")
    assert isinstance(plain["head"], torch.nn.Linear) and set(converted) == {"o"}


_REAL_SIDE = textwrap.dedent(
    """
    import json, sys, warnings
    warnings.simplefilter("ignore")
    import lightning.pytorch as pl
    from hparams_kinds import make_model_class
    model = make_model_class(pl).load_from_checkpoint(sys.argv[1])
    print(json.dumps({k: repr(v) for k, v in model.hparams.items()}))
    """
)


def test_real_2_6_6_loads_the_file_with_the_plain_values(saved, subprocess_env, ref_l2_python):
    env = dict(subprocess_env, PYTHONPATH=str(HERE))  # the real package and the helper module, not this project
    proc = subprocess.run([str(ref_l2_python), "-c", _REAL_SIDE, str(saved)], capture_output=True, text=True, env=env,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    real_side = json.loads(proc.stdout.strip().splitlines()[-1])
    stored = torch.load(saved)["hyper_parameters"]
    # 2.6.6 ignores the description and passes the stored plain values, exactly as stored
    assert real_side == {name: repr(value) for name, value in stored.items()}
