"""Hyperparameter files as 2.6.6 writes and reads them (side by side): save_hparams_to_yaml / load_hparams_from_yaml
(an Enum by its name, values YAML cannot dump skipped with a warning, Namespace and AttributeDict as dicts) and the
tags CSV pair, over plain, nested and unusual values."""
import json
import subprocess
import sys

from tests.reference import L2_PYTHON, require

PROBE = r'''
import enum, json, os, re, warnings
from argparse import Namespace
from pathlib import Path
import torch
from lightning.pytorch.core.saving import save_hparams_to_yaml, load_hparams_from_yaml, save_hparams_to_tags_csv, load_hparams_from_tags_csv
from lightning.fabric.utilities.data import AttributeDict


class Color(enum.Enum):
    RED = 1


out = {}
cases = {
    "plain": {"a": 1, "b": 0.5, "c": "s", "d": None, "e": True},
    "nested": {"opt": {"lr": 0.1, "betas": [0.9, 0.99]}, "t": (1, 2)},
    "namespace_value": {"ns": Namespace(x=1)},
    "enum": {"color": Color.RED},
    "path": {"p": Path("/tmp/x")},
    "function": {"f": len},
    "lambda": {"f": lambda x: x},
    "attrdict": AttributeDict(a=1, b={"c": 2}),
    "namespace": Namespace(a=1, b="x"),
    "set": {"s": {1, 2}},
}
for name, hp in cases.items():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            save_hparams_to_yaml(f"{name}.yaml", hp)
            text = open(f"{name}.yaml").read()
            try:
                back = repr(load_hparams_from_yaml(f"{name}.yaml"))
            except Exception as err:
                back = type(err).__name__
        except Exception as err:
            text, back = type(err).__name__, None
    out["yaml_" + name] = [text, back, sorted({str(w.message)[:40] for w in caught if "Skipping" in str(w.message)})]
    try:
        save_hparams_to_tags_csv(f"{name}.csv", hp)
        text = open(f"{name}.csv").read()
        back = repr(load_hparams_from_tags_csv(f"{name}.csv"))
    except Exception as err:
        text, back = type(err).__name__, None
    out["csv_" + name] = [text, back]
try:
    save_hparams_to_yaml("nofolder/x.yaml", {"a": 1})
except Exception as err:
    out["yaml_missing_folder"] = type(err).__name__
print(re.sub(r"0x[0-9a-f]+", "0x", json.dumps(out, sort_keys=True, default=repr)))
'''


def _answers(python, folder):
    result = subprocess.run([str(python), "-c", PROBE], cwd=folder, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_files_as_2_6_6_writes_them(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "ours").mkdir()
    real = _answers(require(L2_PYTHON), tmp_path / "real")
    assert real["yaml_enum"][0] == "color: RED\n"
    ours = _answers(sys.executable, tmp_path / "ours")
    assert {key: {"real": real.get(key), "ours": ours.get(key)}
            for key in set(real) | set(ours) if real.get(key) != ours.get(key)} == {}
