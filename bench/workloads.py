"""The models, data, LightningModule and hand-written PyTorch loops that the trainer benchmarks compare.

Imported inside a worker process by whichever interpreter runs the scenario: ours (``.venv``), the real
``lightning`` 2.x, or the real ``pytorch_lightning`` 1.9. ``BENCH_PACKAGE`` names the trainer package to build on
(``lightning.pytorch`` by default, ``pytorch_lightning`` for the legacy column); only API that both 1.9 and 2.x
share is used here, so the same module measures all three.

Each raw loop does exactly the work its Trainer scenario asks for (the same model, optimizer, batches, number of
optimizer steps and validation passes) and nothing the Trainer adds on top (logging, checkpoints, progress bar):
the ratio of the two is what the Trainer costs.
"""
import importlib
import os
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

pl = importlib.import_module(os.environ.get("BENCH_PACKAGE", "lightning.pytorch"))

BATCH_SIZE = 32


@dataclass
class FitSpec:
    """One trainer scenario: what the model does per step and which Trainer features are on."""

    net: str = "mlp"  # "mlp" (overhead-bound), "cnn" (compute-bound) or "wide" (memory)
    batches: int = 250  # training batches per epoch
    epochs: int = 4
    features: str = "minimal"  # "minimal": logger/checkpoint/progress bar off; "defaults": what a user gets
    manual: bool = False
    accumulate: int = 1
    val_batches: int = 0  # validation loader length (validation runs every epoch when > 0)
    log_keys: int = 0  # self.log calls per training step
    callbacks: int = 0  # no-op callbacks that override the per-batch hooks
    trainer_kwargs: dict = field(default_factory=dict)


def make_net(kind: str) -> nn.Module:
    torch.manual_seed(0)
    if kind == "mlp":
        return nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 2))
    if kind == "cnn":
        return nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10),
        )
    if kind == "wide":
        return nn.Sequential(nn.Linear(32, 2048), nn.ReLU(), nn.Linear(2048, 2048), nn.ReLU(), nn.Linear(2048, 2))
    raise ValueError(f"unknown net {kind!r}: expected 'mlp', 'cnn' or 'wide'")


def make_loader(kind: str, batches: int, seed: int = 0) -> DataLoader:
    g = torch.Generator().manual_seed(seed)
    n = batches * BATCH_SIZE
    if kind == "cnn":
        x, classes = torch.randn(n, 3, 16, 16, generator=g), 10
    else:
        x, classes = torch.randn(n, 32, generator=g), 2
    return DataLoader(TensorDataset(x, torch.randint(0, classes, (n,), generator=g)), batch_size=BATCH_SIZE)


def make_optimizer(params) -> torch.optim.Optimizer:
    return torch.optim.SGD(params, lr=0.01, momentum=0.9)


def _loss(net: nn.Module, batch) -> torch.Tensor:
    x, y = batch
    return F.cross_entropy(net(x), y)


class BenchModule(pl.LightningModule):
    def __init__(self, spec: FitSpec) -> None:
        super().__init__()
        self.net = make_net(spec.net)
        self.spec = spec
        self.automatic_optimization = not spec.manual
        self.log_names = ["train_loss"] + [f"metric_{i}" for i in range(1, spec.log_keys)]

    def training_step(self, batch, batch_idx):
        loss = _loss(self.net, batch)
        if self.spec.log_keys:
            value = loss.detach()
            for i, name in enumerate(self.log_names):
                self.log(name, value, prog_bar=i == 0)
        if self.spec.manual:
            optimizer = self.optimizers()
            optimizer.zero_grad()
            self.manual_backward(loss)
            optimizer.step()
            return None
        return loss

    def validation_step(self, batch, batch_idx):
        self.log("val_loss", _loss(self.net, batch))

    def configure_optimizers(self):
        return make_optimizer(self.parameters())


class BatchHooks(pl.Callback):
    """A callback that overrides the per-batch hooks and does nothing: the cost of dispatching to it."""

    def on_train_batch_start(self, trainer, pl_module, batch, batch_idx):
        pass

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
        pass


def trainer_fit(spec: FitSpec, root: str) -> None:
    """``Trainer(...).fit`` of the scenario (the Trainer's construction included: a user pays for it)."""
    model = BenchModule(spec)
    train = make_loader(spec.net, spec.batches)
    val = make_loader(spec.net, spec.val_batches, seed=1) if spec.val_batches else None
    kwargs = dict(max_epochs=spec.epochs, accelerator="cpu", devices=1, default_root_dir=root,
                  num_sanity_val_steps=0, accumulate_grad_batches=spec.accumulate,
                  callbacks=[BatchHooks() for _ in range(spec.callbacks)])
    if spec.features == "minimal":
        kwargs.update(logger=False, enable_checkpointing=False, enable_progress_bar=False,
                      enable_model_summary=False)
    elif spec.features != "defaults":
        raise ValueError(f"unknown features {spec.features!r}: expected 'minimal' or 'defaults'")
    kwargs.update(spec.trainer_kwargs)
    trainer = pl.Trainer(**kwargs)
    trainer.fit(model, train, val)
    expected = spec.epochs * spec.batches // (1 if spec.manual else spec.accumulate)
    if trainer.global_step != expected:
        raise RuntimeError(f"the Trainer ran {trainer.global_step} optimizer steps, the scenario expects {expected}: "
                           "the comparison with the raw loop would be unfair")


def raw_fit(spec: FitSpec, root: str) -> None:
    """The hand-written loop doing the same optimizer steps and validation passes as ``trainer_fit``."""
    net = make_net(spec.net)
    optimizer = make_optimizer(net.parameters())
    train = make_loader(spec.net, spec.batches)
    val = make_loader(spec.net, spec.val_batches, seed=1) if spec.val_batches else None
    for _ in range(spec.epochs):
        net.train()
        for i, batch in enumerate(train):
            loss = _loss(net, batch)
            if spec.accumulate > 1:
                loss = loss / spec.accumulate
            loss.backward()
            if (i + 1) % spec.accumulate == 0:
                optimizer.step()
                optimizer.zero_grad()
        if val is not None:
            raw_evaluate(net, val)


def raw_evaluate(net: nn.Module, loader: DataLoader) -> float:
    net.eval()
    with torch.no_grad():
        total = sum(_loss(net, batch) for batch in loader) / len(loader)
    net.train()
    return float(total)


def trainer_validate(spec: FitSpec, root: str) -> None:
    model = BenchModule(spec)
    trainer = pl.Trainer(accelerator="cpu", devices=1, default_root_dir=root, logger=False,
                         enable_checkpointing=False, enable_progress_bar=False, enable_model_summary=False)
    trainer.validate(model, make_loader(spec.net, spec.val_batches, seed=1), verbose=False)


def raw_validate(spec: FitSpec, root: str) -> None:
    raw_evaluate(make_net(spec.net), make_loader(spec.net, spec.val_batches, seed=1))
