"""save_hyperparameters in its less common forms and load_from_checkpoint answer as 2.6.6's (side by side): **kwargs
flattened, named subsets, a Namespace or dict object, two calls, logger=False, an explicit frame, a call outside
__init__, an __init__ chain; hparams files (YAML/CSV, their readers and writers), keyword overrides (also into a
single `hparams` object), map_location forms, missing init arguments, checkpoints without hyperparameters (the
constructor's defaults are recorded), datamodules."""
import json
import subprocess
import sys

from tests.reference import L2_PYTHON, require

PROBE = r'''
import inspect, json, os, warnings
from argparse import Namespace
import torch
from lightning.pytorch import LightningModule, LightningDataModule
from lightning.pytorch.core.saving import load_hparams_from_yaml, save_hparams_to_yaml, load_hparams_from_tags_csv, save_hparams_to_tags_csv

out = {}


def attempt(name, fn, phrase=None):
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            value = fn()
        out[name] = value
        out[name + ".warnings"] = sorted({type(w.message).__name__ for w in caught})
    except Exception as err:
        out[name] = {"error": type(err).__name__, "phrase": phrase is not None and phrase in str(err)}


def hp(m):
    h = m.hparams
    return [type(h).__name__, {k: (repr(v) if not isinstance(v, (int, float, str, list, dict, type(None))) else v) for k, v in dict(h).items()}, getattr(m, "_hparams_name", None)]


class Net(LightningModule):
    def __init__(self, *args, **kwargs):
        super().__init__()
        self.layer = torch.nn.Linear(2, 2)


class Kw(Net):
    def __init__(self, a, b=2, *args, **kwargs):
        super().__init__()
        local = 5
        self.save_hyperparameters()


attempt("kwargs_flattened", lambda: hp(Kw(1, 3, 9, 10, c=4, d=[1])))


class Subset(Net):
    def __init__(self, a, b, c):
        super().__init__()
        self.save_hyperparameters("a", "c")


attempt("subset", lambda: hp(Subset(1, 2, 3)))


class SubsetIgnore(Net):
    def __init__(self, a, b, c):
        super().__init__()
        self.save_hyperparameters("a", "c", ignore="c")


attempt("subset_ignore", lambda: hp(SubsetIgnore(1, 2, 3)))


class Ns(Net):
    def __init__(self, hparams):
        super().__init__()
        self.save_hyperparameters(hparams)


attempt("namespace", lambda: hp(Ns(Namespace(lr=0.1, n=2))))
attempt("dict_arg", lambda: hp(Ns({"lr": 0.1})))


class Twice(Net):
    def __init__(self, a=1, b=2):
        super().__init__()
        self.save_hyperparameters("a")
        self.save_hyperparameters("b")


attempt("twice", lambda: hp(Twice()))


class NoLogger(Net):
    def __init__(self, a=1):
        super().__init__()
        self.save_hyperparameters(logger=False)


attempt("logger_false", lambda: [hp(NoLogger()), NoLogger()._log_hyperparams])


def helper(model):
    model.save_hyperparameters(frame=inspect.currentframe().f_back)


class ViaHelper(Net):
    def __init__(self, a=1, b=2):
        super().__init__()
        helper(self)


attempt("explicit_frame", lambda: hp(ViaHelper(a=5)))


class Later(Net):
    def __init__(self, a=1):
        super().__init__()

    def later(self):
        self.save_hyperparameters()


def later():
    m = Later(3)
    m.later()
    return hp(m)


attempt("outside_init", later)


class Mid(Net):
    def __init__(self, a=1, **kwargs):
        super().__init__()
        self.save_hyperparameters()


class Leaf(Mid):
    def __init__(self, b=2, **kwargs):
        super().__init__(a=7, **kwargs)


attempt("inherited_chain", lambda: hp(Leaf(b=3, z=4)))


# ---------------------------------------------------------------- load_from_checkpoint
class M(Net):
    def __init__(self, lr=0.1, layers=2, name="x"):
        super().__init__()
        self.save_hyperparameters()


def save(model, path, **extra):
    ckpt = {"state_dict": model.state_dict(), "pytorch-lightning_version": "2.6.6",
            "hyper_parameters": dict(model.hparams), "hparams_name": model._hparams_name}
    ckpt.update(extra)
    torch.save(ckpt, path)
    return path


save(M(lr=0.5, layers=3), "m.ckpt")
save_hparams_to_yaml("h.yaml", {"lr": 0.9, "name": "yaml", "extra": 1})
save_hparams_to_tags_csv("h.csv", {"lr": 0.7, "layers": 4, "name": "csv"})
attempt("yaml_roundtrip", lambda: load_hparams_from_yaml("h.yaml"))
attempt("csv_roundtrip", lambda: load_hparams_from_tags_csv("h.csv"))
attempt("missing_yaml", lambda: load_hparams_from_yaml("nope.yaml"))
attempt("load_plain", lambda: hp(M.load_from_checkpoint("m.ckpt")))
attempt("load_yaml", lambda: hp(M.load_from_checkpoint("m.ckpt", hparams_file="h.yaml")))
attempt("load_csv", lambda: hp(M.load_from_checkpoint("m.ckpt", hparams_file="h.csv")))
attempt("load_yaml_override", lambda: hp(M.load_from_checkpoint("m.ckpt", hparams_file="h.yaml", layers=9)))
attempt("load_txt", lambda: hp(M.load_from_checkpoint("m.ckpt", hparams_file="h.txt")), "hparams_file")
attempt("load_override", lambda: hp(M.load_from_checkpoint("m.ckpt", name="kw")))
attempt("load_initial", lambda: dict(M.load_from_checkpoint("m.ckpt", name="kw").hparams_initial))
attempt("map_location_cpu", lambda: str(M.load_from_checkpoint("m.ckpt", map_location="cpu").device))
attempt("map_location_dict", lambda: str(M.load_from_checkpoint("m.ckpt", map_location={"cpu": "cpu"}).device))
attempt("map_location_callable", lambda: str(M.load_from_checkpoint("m.ckpt", map_location=lambda s, l: s).device))
attempt("map_location_device", lambda: str(M.load_from_checkpoint("m.ckpt", map_location=torch.device("cpu")).device))
attempt("training_mode", lambda: M.load_from_checkpoint("m.ckpt").training)

save(Ns({"lr": 0.3}), "ns.ckpt")
attempt("load_named_arg", lambda: hp(Ns.load_from_checkpoint("ns.ckpt")))
attempt("load_named_arg_override", lambda: hp(Ns.load_from_checkpoint("ns.ckpt", lr=0.8)))
attempt("load_named_arg_replace", lambda: hp(Ns.load_from_checkpoint("ns.ckpt", hparams={"lr": 0.6})))

save(Kw(1, c=4), "kw.ckpt")
attempt("load_kwargs_model", lambda: hp(Kw.load_from_checkpoint("kw.ckpt", e=5)))


class Missing(Net):
    def __init__(self, lr, backbone):
        super().__init__()
        self.save_hyperparameters(ignore="backbone")


save(Missing(0.1, None), "missing.ckpt")
attempt("load_missing_arg", lambda: hp(Missing.load_from_checkpoint("missing.ckpt")))
attempt("load_missing_arg_given", lambda: hp(Missing.load_from_checkpoint("missing.ckpt", backbone=3)))

torch.save({"state_dict": M().state_dict(), "pytorch-lightning_version": "2.6.6"}, "nohp.ckpt")
attempt("load_without_hparams", lambda: hp(M.load_from_checkpoint("nohp.ckpt")))
attempt("load_without_hparams_kw", lambda: hp(M.load_from_checkpoint("nohp.ckpt", lr=0.2)))


class DM(LightningDataModule):
    def __init__(self, batch_size=4, root="r"):
        super().__init__()
        self.save_hyperparameters()


torch.save({"state_dict": {}, "pytorch-lightning_version": "2.6.6", "datamodule_hyper_parameters": {"batch_size": 16, "root": "q"},
            "datamodule_hparams_name": "kwargs"}, "dm.ckpt")
attempt("datamodule_load", lambda: hp(DM.load_from_checkpoint("dm.ckpt", root="z")))
attempt("datamodule_load_yaml", lambda: hp(DM.load_from_checkpoint("dm.ckpt", hparams_file="h.yaml")))
print(json.dumps(out, sort_keys=True, default=repr))
'''


def _answers(python, folder):
    result = subprocess.run([str(python), "-c", PROBE], cwd=folder, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_same_answers_as_2_6_6(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "ours").mkdir()
    real = _answers(require(L2_PYTHON), tmp_path / "real")
    assert real["load_yaml"][1] == {"layers": 2, "lr": 0.9, "name": "yaml"}  # defaults fill what the file lacks
    assert real["load_named_arg_override"][1] == {"lr": 0.8}
    ours = _answers(sys.executable, tmp_path / "ours")
    assert {key: {"real": real.get(key), "ours": ours.get(key)}
            for key in set(real) | set(ours) if real.get(key) != ours.get(key)} == {}
