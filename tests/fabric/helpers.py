"""A small LightningModule, its data, and the same training written three ways: a plain PyTorch loop, a Fabric
loop and ``Trainer.fit``."""
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

import lightning as L


def dataset(n: int = 32) -> TensorDataset:
    g = torch.Generator().manual_seed(3)
    x = torch.randn(n, 5, generator=g)
    return TensorDataset(x, torch.sin(x.sum(1, keepdim=True)))


def loader(batch_size: int = 4, shuffle: bool = False) -> DataLoader:
    return DataLoader(dataset(), batch_size=batch_size, shuffle=shuffle)


class Net(L.LightningModule):
    def __init__(self, lr: float = 0.05):
        super().__init__()
        self.save_hyperparameters()
        self.body = nn.Sequential(nn.Linear(5, 16), nn.Tanh(), nn.Linear(16, 1))

    def forward(self, x):
        return self.body(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = nn.functional.mse_loss(self(x), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        self.log("val_loss", nn.functional.mse_loss(self(x), y))

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=self.hparams.lr, momentum=0.9)


def make_net(seed: int = 0) -> Net:
    torch.manual_seed(seed)
    return Net()


def plain_loop(model: nn.Module, epochs: int, optimizer=None) -> nn.Module:
    optimizer = optimizer or model.configure_optimizers()
    for _ in range(epochs):
        for batch_idx, batch in enumerate(loader()):
            loss = model.training_step(batch, batch_idx)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return model


def fabric_loop(fabric: L.Fabric, model: nn.Module, epochs: int, optimizer=None) -> tuple:
    optimizer = optimizer or model.configure_optimizers()
    model, optimizer = fabric.setup(model, optimizer)
    data = fabric.setup_dataloaders(loader())
    for _ in range(epochs):
        for batch_idx, batch in enumerate(data):
            loss = model.training_step(batch, batch_idx)
            optimizer.zero_grad()
            fabric.backward(loss)
            optimizer.step()
    return model, optimizer


def trainer(**kwargs) -> L.Trainer:
    defaults = dict(accelerator="cpu", devices=1, logger=False, enable_checkpointing=False,
                    enable_progress_bar=False, enable_model_summary=False, max_epochs=2)
    defaults.update(kwargs)
    return L.Trainer(**defaults)
