"""A small training setup that uses every source of randomness a resume has to reproduce, and its runs.

Shuffled training loader (torch global RNG), dropout, numpy and python `random` in the step, Adam + StepLR,
a validation loop, optional gradient accumulation. `uninterrupted(acc)` trains once and keeps a checkpoint after
every batch and every epoch end; `resume(path, acc)` finishes a fresh Trainer from one of them.
"""
import functools
import os
import random
import tempfile

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

import lightning.pytorch as pl

MAX_EPOCHS = 3


class ResumableModel(pl.LightningModule):
    def __init__(self, lr: float = 0.05):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Linear(4, 16), nn.Dropout(0.3), nn.ReLU(), nn.Linear(16, 1))

    def training_step(self, batch, batch_idx):
        x, y = batch
        noise = float(np.random.rand()) * 1e-3 + random.random() * 1e-3
        loss = nn.functional.mse_loss(self.net(x), y) + noise
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        self.log("val_loss", nn.functional.mse_loss(self.net(x), y))

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        return [opt], [torch.optim.lr_scheduler.StepLR(opt, 1, 0.7)]

    def _loader(self, seed: int, shuffle: bool) -> DataLoader:
        g = torch.Generator().manual_seed(seed)
        x = torch.randn(40, 4, generator=g)
        return DataLoader(TensorDataset(x, x.sum(1, keepdim=True)), batch_size=8, shuffle=shuffle)

    def train_dataloader(self):
        return self._loader(0, shuffle=True)

    def val_dataloader(self):
        return self._loader(1, shuffle=False)


class SaveEverywhere(pl.Callback):
    """What a kill at any point leaves behind: a checkpoint after every batch and at every epoch end."""

    def __init__(self, folder: str):
        self.folder = folder

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
        trainer.save_checkpoint(os.path.join(self.folder, f"e{trainer.current_epoch}-b{batch_idx}.ckpt"))

    def on_train_epoch_end(self, trainer, pl_module):
        trainer.save_checkpoint(os.path.join(self.folder, f"e{trainer.current_epoch}-end.ckpt"))

    def on_validation_end(self, trainer, pl_module):
        if not trainer.sanity_checking:
            step = trainer.fit_loop.epoch_loop.batch_progress.current.ready
            trainer.save_checkpoint(os.path.join(self.folder, f"e{trainer.current_epoch}-val-after-b{step}.ckpt"))


def make_trainer(root: str, acc: int, callbacks=(), val_check_interval: float = 1.0) -> pl.Trainer:
    return pl.Trainer(
        val_check_interval=val_check_interval,
        default_root_dir=root, max_epochs=MAX_EPOCHS, accumulate_grad_batches=acc, logger=False,
        enable_checkpointing=any(isinstance(c, pl.callbacks.ModelCheckpoint) for c in callbacks),
        enable_progress_bar=False, enable_model_summary=False, accelerator="cpu",
        callbacks=list(callbacks), num_sanity_val_steps=1,
    )


@functools.lru_cache(maxsize=None)
def uninterrupted(acc: int, val_check_interval: float = 1.0):
    """(final state_dict, final optimizer state, global step, {checkpoint name: path}) of one full run."""
    folder = tempfile.mkdtemp(prefix=f"resumable-acc{acc}-")
    pl.seed_everything(1)
    model = ResumableModel()
    trainer = make_trainer(folder, acc, [SaveEverywhere(folder)], val_check_interval)
    trainer.fit(model)
    files = {f[:-5]: os.path.join(folder, f) for f in sorted(os.listdir(folder)) if f.endswith(".ckpt")}
    state = {k: v.clone() for k, v in model.state_dict().items()}
    return state, trainer.optimizers[0].state_dict(), trainer.global_step, files


def resume(path: str, acc: int, root: str, val_check_interval: float = 1.0):
    pl.seed_everything(12345)  # a different seed: everything must come from the checkpoint
    model = ResumableModel()
    trainer = make_trainer(root, acc, val_check_interval=val_check_interval)
    trainer.fit(model, ckpt_path=path)
    return model.state_dict(), trainer
