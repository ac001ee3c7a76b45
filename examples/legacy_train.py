"""A training script written for pytorch_lightning 1.x, the way much research code still is.

It uses `Trainer(gpus=0, ...)`, `checkpoint_callback=`, `progress_bar_refresh_rate=`, `training_epoch_end(outputs)`
and `validation_epoch_end(outputs)`. It runs unchanged under `pytorch_lightning` from lightning-compat, and
`lit-migrate` rewrites it into Lightning 2.x code. Usage: python legacy_train.py OUTPUT_DIR
"""
import json
import sys

import pytorch_lightning as pl
import torch
from pytorch_lightning.callbacks import ModelCheckpoint
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset


class Classifier(pl.LightningModule):
    def __init__(self, lr=0.01):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 4))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        return {"loss": loss}

    def training_epoch_end(self, outputs):
        self.log("train_epoch_loss", torch.stack([o["loss"] for o in outputs]).mean())

    def validation_step(self, batch, batch_idx):
        x, y = batch
        return F.cross_entropy(self(x), y)

    def validation_epoch_end(self, outputs):
        self.log("val_loss", torch.stack(outputs).mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def data(seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(256, 16, generator=g)
    return TensorDataset(x, x[:, :4].argmax(1))


def main(out_dir):
    pl.seed_everything(0)
    trainer = pl.Trainer(
        gpus=0,
        max_epochs=3,
        default_root_dir=out_dir,
        checkpoint_callback=True,
        callbacks=[ModelCheckpoint(monitor="val_loss", save_top_k=1)],
        progress_bar_refresh_rate=0,
        weights_summary=None,
        logger=False,
    )
    model = Classifier()
    trainer.fit(model, DataLoader(data(1), batch_size=32, shuffle=True), DataLoader(data(2), batch_size=64))
    result = {
        "global_step": trainer.global_step,
        "val_loss": round(float(trainer.callback_metrics["val_loss"]), 6),
        "best_model_path": trainer.checkpoint_callback.best_model_path,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1])
