"""The hyperparameter keys of a checkpoint as 2.6.6 writes them (side by side): hyper_parameters / hparams_name for
**kwargs, a single dict or Namespace argument, no hyperparameters, values changed after saving, and the datamodule's
datamodule_hyper_parameters / datamodule_hparams_name (absent when it saved none)."""
import json
import subprocess
import sys

from tests.reference import L2_PYTHON, require

PROBE = r'''
import json, os, warnings
from argparse import Namespace
import torch
from torch.utils.data import DataLoader, TensorDataset
import lightning as L

out = {}


class Base(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.layer = torch.nn.Linear(2, 1)

    def training_step(self, batch, batch_idx):
        return self.layer(batch[0]).sum()

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.1)


class Kw(Base):
    def __init__(self, lr=0.1, sizes=(1, 2), **kwargs):
        super().__init__()
        self.save_hyperparameters()


class One(Base):
    def __init__(self, conf):
        super().__init__()
        self.save_hyperparameters(conf)


class NoHp(Base):
    pass


class Changed(Kw):
    def on_train_start(self):
        self.hparams.lr = 0.5  # changed after saving: checkpoints hold the current values


class DM(L.LightningDataModule):
    def __init__(self, batch_size=2, hp=True):
        super().__init__()
        if hp:
            self.save_hyperparameters()

    def train_dataloader(self):
        return DataLoader(TensorDataset(torch.randn(4, 2)), batch_size=self.hparams.get("batch_size", 2))


KEYS = ("hyper_parameters", "hparams_name", "hparams_type", "datamodule_hyper_parameters", "datamodule_hparams_name",
        "datamodule_hparams_type")


def run(name, model, dm=None):
    trainer = L.Trainer(default_root_dir=os.getcwd(), max_steps=1, logger=False, enable_checkpointing=False,
                        enable_progress_bar=False, enable_model_summary=False, accelerator="cpu")
    trainer.fit(model, datamodule=dm) if dm is not None else trainer.fit(model, DataLoader(TensorDataset(torch.randn(4, 2)), batch_size=2))
    trainer.save_checkpoint(f"{name}.ckpt")
    ckpt = torch.load(f"{name}.ckpt", weights_only=False)
    out[name] = {k: repr(ckpt[k]) for k in KEYS if k in ckpt}


run("kwargs", Kw(extra=3))
run("one_dict", One({"a": 1, "b": [1, 2]}))
run("one_namespace", One(Namespace(a=1)))
run("none", NoHp())
run("changed", Changed())
run("with_dm", Kw(), DM(batch_size=4))
run("dm_without_hp", Kw(), DM(hp=False))
print(json.dumps(out, sort_keys=True))
'''


def _answers(python, folder):
    result = subprocess.run([str(python), "-c", PROBE], cwd=folder, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_checkpoint_hparams_keys_as_2_6_6(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "ours").mkdir()
    real = _answers(require(L2_PYTHON), tmp_path / "real")
    assert real["changed"]["hyper_parameters"] == "{'lr': 0.5, 'sizes': (1, 2)}"
    assert _answers(sys.executable, tmp_path / "ours") == real
