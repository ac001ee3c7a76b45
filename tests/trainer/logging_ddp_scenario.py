"""Two-process DDP (CPU, gloo) logging scenario run unchanged under the real lightning 2.6.6 and under ours
(tests/trainer/test_logging_ddp_vs_real.py): sync_dist reductions (weighted mean with uneven per-rank batches, max,
sum), unsynced per-rank values, rank_zero_only values, torchmetrics objects (which sync themselves in compute), epoch-end logging.

`python logging_ddp_scenario.py OUT_DIR`; Lightning starts rank 1 itself. Each rank writes OUT_DIR/rank<N>.json.
"""
import csv
import json
import os
import sys
import warnings

import torch
from torch import nn
from torch.nn import functional as F

import lightning as L
import torchmetrics
from lightning.pytorch.callbacks import Callback, ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from logging_scenarios import loader  # noqa: E402

warnings.filterwarnings("ignore")


class Recorder(Callback):
    def __init__(self):
        self.snapshots = []

    def _snap(self, trainer, where):
        self.snapshots.append({
            "where": where, "sanity": trainer.sanity_checking, "epoch": trainer.current_epoch,
            "callback": {k: float(v) for k, v in trainer.callback_metrics.items()},
            "logged": {k: float(v) for k, v in trainer.logged_metrics.items()},
        })

    def on_validation_end(self, trainer, pl_module):
        self._snap(trainer, "validation_end")

    def on_train_epoch_end(self, trainer, pl_module):
        self._snap(trainer, "train_epoch_end")


class DDPLogging(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.layer = nn.Linear(8, 3)
        self.train_acc = torchmetrics.Accuracy(task="multiclass", num_classes=3)
        self.val_acc = torchmetrics.Accuracy(task="multiclass", num_classes=3)
        self.seen = []  # (sum, size) of each training batch: the ranks' shares of the data

    def forward(self, x):
        return self.layer(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        self.seen.append([round(float(x.sum()), 4), len(x)])
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        self.train_acc(logits, y)
        self.log("train_acc", self.train_acc, on_step=True, on_epoch=True)
        self.log("train_loss", loss, on_step=True, on_epoch=True, sync_dist=True)
        self.log("rank_loss", loss, on_epoch=True)  # not synced: each rank keeps its own mean
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        self.val_acc.update(logits, y)
        self.log("val_acc", self.val_acc)
        self.log("val_loss", loss, sync_dist=True)  # per-rank batches of 8 and 7: a weighted mean
        self.log("val_max", loss, reduce_fx="max", sync_dist=True)
        self.log("val_batches", 1.0, reduce_fx="sum", sync_dist=True)
        self.log("val_rank_step", float(self.global_rank), on_step=True, on_epoch=False, sync_dist=True)
        if self.global_rank == 0:  # logged by one process only: never reduced, whatever sync_dist says
            self.log("rank0_only", float(batch_idx), sync_dist=True, rank_zero_only=True)

    def on_validation_epoch_end(self):
        self.log("val_rank_mean", float(self.global_rank), sync_dist=True)

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.2)


def main(out):
    torch.manual_seed(0)
    recorder = Recorder()
    checkpoint = ModelCheckpoint(dirpath=os.path.join(out, "ckpt"), monitor="val_acc", mode="max", save_top_k=1)
    trainer = L.Trainer(
        accelerator="cpu", devices=2, strategy="ddp", max_epochs=2, num_sanity_val_steps=1, log_every_n_steps=1,
        logger=CSVLogger(out, name="csv", version=0), callbacks=[recorder, checkpoint], enable_progress_bar=False,
        enable_model_summary=False,
    )
    model = DDPLogging()
    # a shuffling training loader: both packages then give each rank the same share (DistributedSampler, seed 0)
    train = loader(40, 0)
    train = torch.utils.data.DataLoader(train.dataset, batch_size=8, shuffle=True)
    trainer.fit(model, train, loader(30, 1))
    validated = trainer.validate(model, loader(30, 1), verbose=False)
    result = {"snapshots": recorder.snapshots, "validated": validated, "seen": model.seen,
              "world_size": trainer.world_size, "weights": round(float(model.layer.weight.sum()), 4),
              "best_model": os.path.basename(checkpoint.best_model_path)}
    if trainer.is_global_zero:
        with open(os.path.join(out, "csv", "version_0", "metrics.csv"), newline="") as f:
            result["csv_rows"] = [{k: (float(v) if v != "" else None) for k, v in row.items()}
                                  for row in csv.DictReader(f)]
    with open(os.path.join(out, f"rank{trainer.global_rank}.json"), "w") as f:
        json.dump(result, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv[1])
