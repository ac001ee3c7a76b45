"""save_hyperparameters / hparams / load_from_checkpoint answer as 2.6.6's: one probe script runs under the real
package and under ours, and every observation must agree (errors by type and key phrase, hparams by value)."""
import json
import subprocess
import sys

import pytest

from tests.reference import L2_PYTHON, require

PROBE = r'''
import copy, json, os, sys, warnings
from dataclasses import dataclass, field
import torch
from lightning.pytorch import LightningModule, LightningDataModule
from lightning.pytorch.utilities.parsing import clean_namespace

out = {}


def attempt(name, fn, phrase=None):
    try:
        out[name] = fn()
    except Exception as err:
        out[name] = {"error": type(err).__name__, "phrase": phrase is not None and phrase in str(err)}


class Net(LightningModule):
    def __init__(self, *args, **kwargs):
        super().__init__()
        self.layer = torch.nn.Linear(2, 2)


class One(Net):
    def __init__(self, arg1):
        super().__init__()
        self.save_hyperparameters(arg1)


class Two(Net):
    def __init__(self, arg1, arg2):
        super().__init__()
        self.save_hyperparameters(arg1, arg2)


attempt("int_alone", lambda: One(42).hparams, "Primitives")
attempt("str_alone", lambda: One("abc").hparams, "Primitives")
attempt("float_with_name", lambda: Two(3.14, "arg1").hparams, "Primitives")
attempt("list_alone", lambda: One([1, 2]).hparams, "Unsupported config type")
attempt("dict_alone", lambda: dict(One({"a": 1}).hparams))


class Base(Net):
    def __init__(self, arg1, arg2, arg3):
        super().__init__()
        self.save_hyperparameters(ignore="arg1")


for ignore in ("arg2", ("arg2", "arg3"), []):
    class Sub(Base):
        def __init__(self, arg1, arg2, arg3):
            super().__init__(arg1, arg2, arg3)
            self.save_hyperparameters(ignore=ignore)

    m = Sub(1, 2, 3)
    out[f"subclass_ignore_{ignore}"] = [dict(m.hparams), dict(m.hparams_initial)]


@dataclass
class DC(Net):
    mandatory: int
    optional: str = "x"
    derived: int = field(default=7, init=False)

    def __post_init__(self):
        super().__init__()
        self.save_hyperparameters()


out["dataclass"] = dict(DC(3, optional="y").hparams)


class WithModules(Net):
    def __init__(self, encoder, other=1):
        super().__init__()
        self.save_hyperparameters()


with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    WithModules(torch.nn.Linear(1, 1))
out["module_warning"] = ["is an instance of `nn.Module` and is already saved" in str(w.message) for w in caught]


class Nested(Net):
    def __init__(self, config):
        super().__init__()
        self.save_hyperparameters(config)


m = Nested({"layers": [1, 2], "lr": 0.1})
initial = m.hparams_initial
initial["layers"].append(3)
m.hparams.layers.append(4)
out["initial_is_deep_copy"] = [dict(m.hparams_initial), dict(m.hparams), m._hparams_name]
m.remove_ignored_hparams(["lr", "missing"])
out["removed"] = [dict(m.hparams), dict(m.hparams_initial)]

ns = {"a": 1}
class EqualArg(Net):
    def __init__(self, conf, other):
        super().__init__()
        self.save_hyperparameters(dict(conf))  # an equal copy: the name is still found


out["name_by_equality"] = EqualArg(ns, 2)._hparams_name

m = Nested({"fn": lambda x: x, "lr": 0.5})
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    clean_namespace(m.hparams)
out["clean_namespace"] = [sorted(m.hparams), ["Attribute 'fn' removed from hparams because it cannot be pickled"
                                              in str(w.message) for w in caught]]


class Sized(Net):
    def __init__(self, batch_size=64, lr=0.1):
        super().__init__()
        self.save_hyperparameters()


def past_checkpoint(key, hparams_type):
    ckpt = {"state_dict": Sized().state_dict(), "pytorch-lightning_version": "2.6.6", "hparams_name": "kwargs",
            key: {"batch_size": -17, "lr": 0.1}}
    if hparams_type is not None:
        ckpt["hparams_type"] = hparams_type
    torch.save(ckpt, "past.ckpt")
    m = Sized.load_from_checkpoint("past.ckpt")
    return [type(m.hparams).__name__, dict(m.hparams)]


for key in ("module_arguments", "hparams", "hyper_parameters"):
    for hparams_type in (None, "Namespace", "dict"):
        attempt(f"past_{key}_{hparams_type}", lambda: past_checkpoint(key, hparams_type))


def override(**kwargs):
    m = Sized.load_from_checkpoint("past.ckpt", **kwargs)
    return [dict(m.hparams), dict(m.hparams_initial)]


attempt("kwargs_override", lambda: override(lr=0.9))
attempt("kwargs_unknown", lambda: override(unknown=1), "unknown")


class Strict(Net):
    def __init__(self, strict_loading=None):
        super().__init__()
        if strict_loading is not None:
            self.strict_loading = strict_loading


torch.save({"state_dict": Strict().state_dict(), "pytorch-lightning_version": "2.6.6"}, "strict.ckpt")
for setting in (None, True, False):
    for strict in (None, True, False):
        def load(setting=setting, strict=strict):
            class Model(Strict):
                def __init__(self):
                    super().__init__(setting)
            m = Model.load_from_checkpoint("strict.ckpt", strict=strict)
            return m.strict_loading
        attempt(f"strict_{setting}_{strict}", load, "in conflict with")


class DM(LightningDataModule):
    def __init__(self, data_dir="x", batch_size=4):
        super().__init__()
        self.save_hyperparameters()


out["datamodule_args"] = [dict(DM(batch_size=8).hparams), type(LightningDataModule(1, key=2)).__name__]
from torch.utils.data import DataLoader, TensorDataset
from lightning.pytorch import Trainer
from lightning.pytorch.loggers import CSVLogger


class Fitting(Net):
    def __init__(self, data_dir="a", fn=(lambda x: x), ignore=False):
        super().__init__()
        self.save_hyperparameters(ignore=["fn"] if ignore else None)

    def training_step(self, batch, batch_idx):
        return self.layer(batch[0]).sum()

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.1)

    def train_dataloader(self):
        return DataLoader(TensorDataset(torch.randn(2, 2)), batch_size=2)


def fit(model, datamodule=None):
    trainer = Trainer(max_steps=1, logger=CSVLogger("logs"), enable_checkpointing=False, enable_progress_bar=False,
                      enable_model_summary=False, accelerator="cpu")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        trainer.fit(model, datamodule=datamodule)
    removed = [str(w.message).split("'")[1] for w in caught if "removed from hparams because it cannot be pickled"
               in str(w.message)]
    return [sorted(model.hparams), removed]


attempt("fit_drops_unpicklable", lambda: fit(Fitting()))
attempt("fit_ignored_unpicklable", lambda: fit(Fitting(ignore=True)))


class DataDM(DM):
    def train_dataloader(self):
        return DataLoader(TensorDataset(torch.randn(2, 2)), batch_size=2)


attempt("clash_with_datamodule", lambda: fit(Fitting(data_dir="b", ignore=True), DataDM()),
        "Error while merging hparams:")
attempt("same_value_in_datamodule", lambda: fit(Fitting(data_dir="x", ignore=True), DataDM()))
print(json.dumps(out, sort_keys=True, default=repr))
'''


@pytest.fixture(scope="module")
def answers(tmp_path_factory):
    def run(python):
        folder = tmp_path_factory.mktemp("probe")
        result = subprocess.run([str(python), "-c", PROBE], cwd=folder, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr[-3000:]
        return json.loads(result.stdout.strip().splitlines()[-1])

    return run(require(L2_PYTHON)), run(sys.executable)


def test_same_answers_as_2_6_6(answers):
    real, ours = answers
    assert sorted(real) == sorted(ours)
    differ = {key: {"real": real[key], "ours": ours[key]} for key in real if real[key] != ours[key]}
    assert not differ


def test_probe_covers_the_cases(answers):
    real, _ = answers
    assert real["int_alone"] == {"error": "ValueError", "phrase": True}
    assert real["subclass_ignore_arg2"][0] == {"arg1": 1, "arg3": 3}
    assert real["dataclass"] == {"mandatory": 3, "optional": "y"}
    assert real["past_module_arguments_Namespace"][1]["batch_size"] == -17
    assert real["strict_False_True"] == {"error": "ValueError", "phrase": True}
    assert real["fit_drops_unpicklable"] == [["data_dir", "ignore"], ["fn"]]
    assert real["clash_with_datamodule"] == {"error": "RuntimeError", "phrase": True}
