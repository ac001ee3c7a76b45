"""Tiny models and data shared by the trainer tests."""
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

import lightning as L


def dataset(n: int = 32, seed: int = 0, features: int = 4) -> TensorDataset:
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, features, generator=g)
    return TensorDataset(x, x.sum(1, keepdim=True) * 0.5)


def loader(n: int = 32, batch_size: int = 4, seed: int = 0, shuffle: bool = False) -> DataLoader:
    return DataLoader(dataset(n, seed), batch_size=batch_size, shuffle=shuffle)


class Regressor(L.LightningModule):
    """A linear regressor; ``optim`` picks what ``configure_optimizers`` returns."""

    def __init__(self, lr: float = 0.1, optim=None):
        super().__init__()
        self.layer = nn.Linear(4, 1)
        self.lr = lr
        self._optim = optim

    def forward(self, x):
        return self.layer(x)

    def loss(self, batch):
        x, y = batch
        return nn.functional.mse_loss(self(x), y)

    def training_step(self, batch, batch_idx):
        loss = self.loss(batch)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, batch_idx):
        self.log("val_loss", self.loss(batch))

    def test_step(self, batch, batch_idx):
        self.log("test_loss", self.loss(batch))

    def configure_optimizers(self):
        if self._optim is not None:
            return self._optim(self)
        return torch.optim.SGD(self.parameters(), lr=self.lr)


def trainer(**kwargs) -> L.Trainer:
    defaults = dict(logger=False, enable_checkpointing=False, enable_progress_bar=False, enable_model_summary=False,
                    max_epochs=1)
    defaults.update(kwargs)
    return L.Trainer(**defaults)
