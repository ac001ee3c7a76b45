"""Tiny fit + validate runs for the pseudo-terminal tests, one process for all console set-ups (torch is imported
once): `python tiny_fit.py SECTION...` runs each of no-bar / tqdm / default, printing `@@ SECTION` before it."""
import sys

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

import lightning as L
from lightning.pytorch.callbacks import TQDMProgressBar


class Tiny(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.layer = nn.Linear(4, 1)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = nn.functional.mse_loss(self.layer(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        self.log("val_loss", nn.functional.mse_loss(self.layer(x), y))

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.1)


def loader():
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(32, 4, generator=generator)
    return DataLoader(TensorDataset(x, x.sum(1, keepdim=True)), batch_size=4)


SECTIONS = {
    "no-bar": dict(enable_progress_bar=False, enable_model_summary=False),
    "tqdm": dict(callbacks=[TQDMProgressBar()], enable_model_summary=False),
    "default": dict(),
}

if __name__ == "__main__":
    for section in sys.argv[1:]:
        print(f"@@ {section}", flush=True)
        trainer = L.Trainer(max_epochs=2, logger=False, enable_checkpointing=False, **SECTIONS[section])
        model = Tiny()
        trainer.fit(model, loader(), loader())
        trainer.validate(model, loader())
        sys.stdout.flush()
