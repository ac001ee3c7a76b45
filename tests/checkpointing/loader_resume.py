"""Training loaders that draw from their own generators or from worker processes, and runs to resume them.

Each loader kind (``LOADERS``) shuffles a 40-sample set in batches of 8 (5 per epoch); the model has Dropout, so
the global torch RNG is drawn from between the loader's draws. ``uninterrupted(kind)`` trains ``MAX_EPOCHS`` and
keeps a checkpoint after every batch and at every epoch end; ``resume(kind, path)`` finishes a fresh Trainer from
one. The file also runs as a script, to train ``kind`` under another interpreter (the real Lightning):

    python loader_resume.py OUT.pt KIND [KIND ...] [refit] [overfit] [KIND=CHECKPOINT]
        -> {argument: final state_dict}
"""
import functools
import os
import sys
import tempfile

import torch
from torch import nn
from torch.utils.data import DataLoader, RandomSampler, Sampler, TensorDataset

import lightning as L

MAX_EPOCHS = 4


class UserSampler(Sampler):
    """A sampler of the user's own with a generator: a permutation per epoch, then every index drawn again at
    random with probability 1/4 (more draws than a RandomSampler's single one)."""

    def __init__(self, size: int, seed: int):
        self.size = size
        self.generator = torch.Generator().manual_seed(seed)

    def __iter__(self):
        for index in torch.randperm(self.size, generator=self.generator).tolist():
            redraw = torch.rand((), generator=self.generator) < 0.25
            yield int(torch.randint(self.size, (), generator=self.generator)) if redraw else index

    def __len__(self):
        return self.size


def _generator(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


# kind -> DataLoader(dataset) with batch_size 8; the worker kinds fork (the loader's default) two workers
LOADERS = {
    "default_generator": lambda ds: DataLoader(ds, batch_size=8, shuffle=True),
    "loader_generator": lambda ds: DataLoader(ds, batch_size=8, shuffle=True, generator=_generator(1)),
    "sampler_generator": lambda ds: DataLoader(ds, batch_size=8, sampler=RandomSampler(ds, generator=_generator(2))),
    "user_sampler": lambda ds: DataLoader(ds, batch_size=8, sampler=UserSampler(len(ds), 3)),
    "workers": lambda ds: DataLoader(ds, batch_size=8, shuffle=True, num_workers=2),
    "persistent_workers": lambda ds: DataLoader(ds, batch_size=8, shuffle=True, num_workers=2,
                                                persistent_workers=True),
    "persistent_workers_generator": lambda ds: DataLoader(ds, batch_size=8, shuffle=True, num_workers=2,
                                                          persistent_workers=True, generator=_generator(4)),
}


class DropoutModel(L.LightningModule):
    def __init__(self, kind: str):
        super().__init__()
        self.kind = kind
        self.net = nn.Sequential(nn.Linear(4, 16), nn.Dropout(0.3), nn.ReLU(), nn.Linear(16, 1))

    def training_step(self, batch, batch_idx):
        x, y = batch
        return nn.functional.mse_loss(self.net(x), y)

    def validation_step(self, batch, batch_idx):
        x, y = batch
        self.log("val_loss", nn.functional.mse_loss(self.net(x), y))

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.05, momentum=0.9)

    def train_dataloader(self):
        x = torch.randn(40, 4, generator=_generator(0))
        return LOADERS[self.kind](TensorDataset(x, x.sum(1, keepdim=True)))

    def val_dataloader(self):
        x = torch.randn(16, 4, generator=_generator(5))
        return DataLoader(TensorDataset(x, x.sum(1, keepdim=True)), batch_size=8)


class SaveEverywhere(L.Callback):
    """What an interruption at any point leaves behind: a checkpoint after every batch and at every epoch end."""

    def __init__(self, folder: str):
        self.folder = folder

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
        trainer.save_checkpoint(os.path.join(self.folder, f"e{trainer.current_epoch}-b{batch_idx}.ckpt"))

    def on_train_epoch_end(self, trainer, pl_module):
        trainer.save_checkpoint(os.path.join(self.folder, f"e{trainer.current_epoch}-end.ckpt"))


_COMMON = dict(max_epochs=MAX_EPOCHS, logger=False, enable_checkpointing=False, enable_progress_bar=False,
               enable_model_summary=False, accelerator="cpu", devices=1, num_sanity_val_steps=1)


def make_trainer(root: str, callbacks=()) -> L.Trainer:
    return L.Trainer(default_root_dir=root, callbacks=list(callbacks), **_COMMON)


def overfit_with_generator() -> dict:
    """`overfit_batches` replaces the shuffling sampler; the loader's generator (its base seed's source) stays."""
    with tempfile.TemporaryDirectory() as folder:
        return train("loader_generator", folder, overfit_batches=2)


def train(kind: str, root: str, callbacks=(), ckpt_path=None, **trainer_args) -> dict:
    L.seed_everything(11, verbose=False)
    model = DropoutModel(kind)
    trainer = make_trainer(root, callbacks)
    if trainer_args:  # arguments beyond the common ones: a Trainer made with them
        trainer = L.Trainer(**{**_COMMON, "default_root_dir": root, "callbacks": list(callbacks), **trainer_args})
    trainer.fit(model, ckpt_path=ckpt_path)
    return {key: value.detach().clone() for key, value in model.state_dict().items()}


def refit_same_loader() -> dict:
    """Two fits in a row on one persistent-worker loader: the workers end with the first fit, so the second
    starts new ones and draws a new base seed."""
    L.seed_everything(11, verbose=False)
    model = DropoutModel("persistent_workers")
    loader = model.train_dataloader()
    with tempfile.TemporaryDirectory() as folder:
        for epochs in (1, 2):
            trainer = make_trainer(folder)
            trainer.fit_loop.max_epochs = epochs
            trainer.fit(model, train_dataloaders=loader)
    return {key: value.detach().clone() for key, value in model.state_dict().items()}


@functools.lru_cache(maxsize=None)
def uninterrupted(kind: str, **trainer_args) -> tuple:
    """(final weights, {checkpoint name: path}) of one uninterrupted run, kept for the test session."""
    folder = tempfile.mkdtemp(prefix=f"loader-resume-{kind}-")
    final = train(kind, folder, [SaveEverywhere(folder)], **trainer_args)
    files = {name[:-5]: os.path.join(folder, name) for name in os.listdir(folder) if name.endswith(".ckpt")}
    return final, files


def resume(kind: str, path: str, root: str, **trainer_args) -> dict:
    """The final weights of a fresh process-like run (new model, new loaders, new generators) resumed from
    ``path``; ``train`` seeds first, as a user's script would."""
    return train(kind, root, ckpt_path=path, **trainer_args)


if __name__ == "__main__":
    # OUT.pt, then loader kinds to train uninterrupted, "refit", or KIND=CHECKPOINT to resume KIND from a file
    out, runs = sys.argv[1], sys.argv[2:]
    torch.set_num_threads(1)
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for run in runs:
            kind, _, path = run.partition("=")
            if kind == "refit":
                results[run] = refit_same_loader()
            elif kind == "overfit":
                results[run] = overfit_with_generator()
            else:
                results[run] = train(kind, folder, ckpt_path=path or None)
    torch.save(results, out)
