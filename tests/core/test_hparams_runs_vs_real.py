"""Hyperparameters across a run as in 2.6.6 (side by side): save_hyperparameters under composition (a mixin built
inside another object's __init__) and in nested classes; a value changed during training stays out of hparams_initial
and of the loggers' hparams.yaml (CSV and TensorBoard); module and datamodule hyperparameters merged into one file
(fit and validate); a value YAML cannot hold safely; a model without hyperparameters saved and loaded."""
import json
import subprocess
import sys

from tests.reference import L2_PYTHON, require

PROBE = r'''
import json, os, warnings
import torch
from torch.utils.data import DataLoader, TensorDataset
import lightning as L
from lightning.pytorch.core.mixins import HyperparametersMixin
from lightning.pytorch.loggers import CSVLogger, TensorBoardLogger

out = {}


def attempt(name, fn):
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out[name] = fn()
        out[name + ".warned"] = sorted({str(w.message)[:50] for w in caught if w.category is not ResourceWarning
                                        and ("hparam" in str(w.message).lower() or "YAML" in str(w.message))})
    except Exception as err:
        out[name] = [type(err).__name__, str(err)[:70]]


class Child(HyperparametersMixin):
    def __init__(self, same_arg):
        super().__init__()
        self.save_hyperparameters()


class NotMixin:
    def __init__(self, same_arg="parent", other_arg="other"):
        self.child = Child(same_arg="inner")


class MixinParent(HyperparametersMixin):
    def __init__(self, same_arg="parent", other_arg="other"):
        super().__init__()
        self.child = Child(same_arg="inner")
        self.save_hyperparameters()


attempt("composition_plain_parent", lambda: dict(NotMixin().child.hparams))
attempt("composition_mixin_parent", lambda: [dict(MixinParent().child.hparams), dict(MixinParent().hparams)])


class Outer(L.LightningModule):
    def __init__(self, a=1):
        super().__init__()
        self.save_hyperparameters()

    class Inner(L.LightningModule):
        def __init__(self, b=2):
            super().__init__()
            self.save_hyperparameters()


attempt("nested_class", lambda: [dict(Outer().hparams), dict(Outer.Inner().hparams)])


class Model(L.LightningModule):
    def __init__(self, running_arg=0, obj=None, **kwargs):
        super().__init__()
        self.save_hyperparameters()
        self.layer = torch.nn.Linear(2, 1)

    def training_step(self, batch, batch_idx):
        self.hparams.running_arg += 1
        return self.layer(batch[0]).sum()

    def validation_step(self, batch, batch_idx):
        self.log("v", self.layer(batch[0]).sum())

    def test_step(self, batch, batch_idx):
        self.log("t", self.layer(batch[0]).sum())

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.01)


class DM(L.LightningDataModule):
    def __init__(self, data_dir="d", batch_size=2):
        super().__init__()
        self.save_hyperparameters()

    def train_dataloader(self):
        return DataLoader(TensorDataset(torch.randn(4, 2)), batch_size=2)

    def val_dataloader(self):
        return DataLoader(TensorDataset(torch.randn(4, 2)), batch_size=2)


def fit(name, model, dm=None, logger_cls=CSVLogger, fn="fit"):
    logger = logger_cls(os.path.join(os.getcwd(), name))
    trainer = L.Trainer(max_epochs=1, logger=logger, enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", default_root_dir=os.path.join(os.getcwd(), name))
    data = DataLoader(TensorDataset(torch.randn(4, 2)), batch_size=2)
    if dm is not None:
        getattr(trainer, fn)(model, datamodule=dm)
    else:
        getattr(trainer, fn)(model, data, data) if fn == "fit" else getattr(trainer, fn)(model, data)
    files = {}
    for root, _, names in os.walk(os.path.join(os.getcwd(), name)):
        for n in names:
            if n == "hparams.yaml":
                files[n] = open(os.path.join(root, n)).read()
    return [dict(model.hparams), dict(model.hparams_initial), files]


class Strange:
    def __repr__(self):
        return "Strange()"


attempt("runtime_change", lambda: fit("runtime", Model()))
attempt("runtime_change_tb", lambda: fit("runtime_tb", Model(), logger_cls=TensorBoardLogger))
attempt("with_datamodule", lambda: fit("dm", Model(extra=5), DM()))
attempt("test_with_datamodule", lambda: fit("dm_test", Model(extra=5), DM(), fn="validate"))
attempt("unyamlable", lambda: fit("strange", Model(obj=Strange())))


class NoHp(Model):
    def __init__(self):
        L.LightningModule.__init__(self)
        self.layer = torch.nn.Linear(2, 1)

    def training_step(self, batch, batch_idx):
        return self.layer(batch[0]).sum()


def no_hp():
    result = fit("nohp", NoHp())
    path = [os.path.join(r, n) for r, _, ns in os.walk(os.path.join(os.getcwd(), "nohp")) for n in ns if n.endswith(".ckpt")][0]
    loaded = NoHp.load_from_checkpoint(path)
    return result + [dict(loaded.hparams)]


attempt("no_hparams", no_hp)
print(json.dumps(out, sort_keys=True, default=repr))
'''


def _answers(python, folder):
    result = subprocess.run([str(python), "-c", PROBE], cwd=folder, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_hparams_in_runs_as_2_6_6(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "ours").mkdir()
    real = _answers(require(L2_PYTHON), tmp_path / "real")
    assert real["runtime_change"][2]["hparams.yaml"] == "obj: null\nrunning_arg: 0\n"
    assert real["no_hparams"][3] == {}
    ours = _answers(sys.executable, tmp_path / "ours")
    assert {name: {"real": real[name], "ours": ours.get(name)} for name in real if ours.get(name) != real[name]} == {}
