"""One run of the Trainer on ``memory://`` URLs, printed as JSON; executed under the real lightning 2.6.6 and under
this project (tests/fsspec/test_remote_paths.py compares the two).

Covers: default_root_dir, the default TensorBoard logger and a CSVLogger at URLs, ModelCheckpoint's top-k deletion,
last.ckpt and best_model_path there, test(ckpt_path="best"), save_checkpoint(URL), fit(ckpt_path=URL),
load_from_checkpoint(URL), and the tuner's temporary checkpoints. Everything is read back through fsspec in the same
process; the working directory must stay empty (no local folder named "memory:").
"""
import json
import os
import re
import sys
import warnings

import fsspec
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

import lightning as L
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from lightning.pytorch.tuner import Tuner

warnings.filterwarnings("ignore")
FS = fsspec.filesystem("memory")


class Model(L.LightningModule):
    def __init__(self, lr: float = 0.05, batch_size: int = 4):
        super().__init__()
        self.save_hyperparameters()
        self.layer = torch.nn.Linear(4, 1)

    def _loss(self, batch):
        x, y = batch
        return F.mse_loss(self.layer(x), y)

    def training_step(self, batch, batch_idx):
        loss = self._loss(batch)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, batch_idx):
        self.log("val_loss", self._loss(batch))

    def test_step(self, batch, batch_idx):
        self.log("test_loss", self._loss(batch))

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=self.hparams.lr)

    def _loader(self):
        generator = torch.Generator().manual_seed(1)
        x = torch.randn(16, 4, generator=generator)
        return DataLoader(TensorDataset(x, x.sum(1, keepdim=True)), batch_size=self.hparams.batch_size)

    train_dataloader = val_dataloader = test_dataloader = _loader


def trainer(**kwargs):
    kwargs = {"max_epochs": 4, **kwargs}
    return L.Trainer(enable_progress_bar=False, enable_model_summary=False, log_every_n_steps=1, **kwargs)


def listing(root):
    """Files under ``root`` (relative), with the host/pid/time part of event file names left out."""
    names = [path[len(root):] for path in FS.find(root)]
    return sorted(re.sub(r"events\.out\.tfevents\..*", "events.out.tfevents.*", name) for name in names)


def weights(state_dict):
    return {key: value.flatten().tolist() for key, value in state_dict.items()}


def main():
    out = {}
    torch.manual_seed(0)
    checkpoint = ModelCheckpoint(monitor="val_loss", save_top_k=2, save_last=True)
    fit = trainer(default_root_dir="memory://fit", callbacks=[checkpoint])
    out["fit.log_dir"] = fit.log_dir
    fit.fit(Model())
    out["fit.paths"] = [checkpoint.dirpath, checkpoint.best_model_path, checkpoint.last_model_path,
                        sorted(checkpoint.best_k_models)]
    out["fit.files"] = listing("/fit")
    out["fit.hparams.yaml"] = FS.cat("memory://fit/lightning_logs/version_0/hparams.yaml").decode()
    with FS.open(checkpoint.best_model_path, "rb") as f:
        best = torch.load(f, weights_only=True)
    out["best.keys"] = sorted(best)
    out["best.weights"] = weights(best["state_dict"])
    out["test.best"] = fit.test(ckpt_path="best", verbose=False)

    fit.save_checkpoint("memory://manual/model.ckpt")
    loaded = Model.load_from_checkpoint("memory://manual/model.ckpt")
    out["loaded"] = [dict(loaded.hparams), weights(loaded.state_dict())]

    torch.manual_seed(0)
    resume = trainer(default_root_dir="memory://resume", max_epochs=6, logger=CSVLogger("memory://resume"),
                     callbacks=[ModelCheckpoint(dirpath="memory://resume/ckpts", save_last=True)])
    resume.fit(Model(), ckpt_path=checkpoint.last_model_path)
    out["resume.global_step"] = resume.global_step
    out["resume.files"] = listing("/resume")
    out["resume.metrics.csv"] = FS.cat("memory://resume/lightning_logs/version_0/metrics.csv").decode()

    torch.manual_seed(0)
    tuned = trainer(default_root_dir="memory://tune", logger=False, enable_checkpointing=False)
    tuner = Tuner(tuned)
    tuner.lr_find(Model(), num_training=4, update_attr=False)
    tuner.scale_batch_size(Model(), mode="power", max_trials=2, steps_per_trial=1)
    out["tune.files"] = listing("/tune")

    out["cwd"] = sorted(os.listdir("."))
    print(json.dumps(out, sort_keys=True))


if __name__ == "__main__":
    sys.exit(main())
