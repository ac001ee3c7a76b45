"""Which hyperparameters reach a logger's log_hyperparams, as in 2.6.6 (side by side): module and datamodule with,
without or with logger=False hyperparameters (and a key both hold with the same value), in fit, validate and test."""
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
from lightning.pytorch.loggers import Logger

out = {}


class Recording(Logger):
    def __init__(self):
        super().__init__()
        self.calls = []

    @property
    def name(self):
        return "rec"

    @property
    def version(self):
        return 0

    def log_hyperparams(self, params, *args, **kwargs):
        self.calls.append(["hp", {k: repr(v) for k, v in (vars(params) if isinstance(params, Namespace) else dict(params)).items()}])

    def log_metrics(self, metrics, step=None):
        pass

    def log_graph(self, model, input_array=None):
        self.calls.append(["graph"])


class Model(L.LightningModule):
    def __init__(self, hp=None, logger=True):
        super().__init__()
        if hp is not None:
            self.save_hyperparameters(hp, logger=logger)
        self.layer = torch.nn.Linear(2, 1)

    def training_step(self, batch, batch_idx):
        return self.layer(batch[0]).sum()

    def validation_step(self, batch, batch_idx):
        self.log("v", self.layer(batch[0]).sum())

    def test_step(self, batch, batch_idx):
        self.log("t", self.layer(batch[0]).sum())

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.01)


class DM(L.LightningDataModule):
    def __init__(self, hp=None, logger=True):
        super().__init__()
        if hp is not None:
            self.save_hyperparameters(hp, logger=logger)

    def train_dataloader(self):
        return DataLoader(TensorDataset(torch.randn(4, 2)), batch_size=2)

    val_dataloader = test_dataloader = predict_dataloader = train_dataloader


def run(name, model, dm, fn="fit"):
    logger = Recording()
    trainer = L.Trainer(max_epochs=1, logger=logger, enable_progress_bar=False, enable_model_summary=False,
                        enable_checkpointing=False, accelerator="cpu", default_root_dir=os.getcwd())
    try:
        getattr(trainer, fn)(model, datamodule=dm)
        out[name] = logger.calls
    except Exception as err:
        out[name] = [type(err).__name__, str(err)[:50]]


for mname, mhp in (("m_hp", {"arg1": 5, "arg2": "abc"}), ("m_none", None), ("m_nolog", "nolog")):
    for dname, dhp in (("dm_hp", {"data_dir": "foo"}), ("dm_none", None), ("dm_nolog", "nolog"), ("dm_same", {"arg1": 5})):
        for fn in ("fit", "validate", "test"):
            model = Model({"arg1": 5, "arg2": "abc"}, logger=False) if mhp == "nolog" else Model(mhp)
            dm = DM({"data_dir": "foo"}, logger=False) if dhp == "nolog" else DM(dhp)
            run(f"{mname}-{dname}-{fn}", model, dm, fn)
run("namespace_model", Model(Namespace(a=1)), DM())
print(json.dumps(out, sort_keys=True))
'''


def _answers(python, folder):
    result = subprocess.run([str(python), "-c", PROBE], cwd=folder, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_logged_hparams_as_2_6_6(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "ours").mkdir()
    real = _answers(require(L2_PYTHON), tmp_path / "real")
    assert real["m_none-dm_hp-fit"][0] == ["hp", {"data_dir": "'foo'"}]
    ours = _answers(sys.executable, tmp_path / "ours")
    assert {name: {"real": real[name], "ours": ours.get(name)} for name in real if ours.get(name) != real[name]} == {}
