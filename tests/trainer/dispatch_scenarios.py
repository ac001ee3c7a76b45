"""Scenarios run under the real lightning 2.6.6 and under ours by test_dispatch_vs_real.py; prints one JSON object.

Each scenario records what the Trainer calls: hooks wrapped on the instance (a recording wrapper around every hook,
even the base ones), the train/eval mode of submodules after each stage, whether an evaluation dataloader is requested
with a zero batch limit, and which batches/epochs a run resumed under a step limit goes through.
"""
import functools
import inspect
import json
import sys
import tempfile

import torch
from torch.utils.data import DataLoader

import lightning.pytorch as pl
from lightning.pytorch.demos.boring_classes import BoringModel, RandomDataset

_SKIP = {"log", "log_dict", "optimizers", "print", "training_step", "validation_step", "test_step", "predict_step",
         "configure_optimizers", "forward", "train_dataloader", "val_dataloader", "test_dataloader",
         "predict_dataloader"}


def _wrap_hooks(obj, names, calls, prefix):
    """Replace each hook on the instance by a wrapper that records its name after the call."""
    for name in names:
        target = getattr(obj, name)

        def record(*args, _name=name, _target=target, **kwargs):
            out = _target(*args, **kwargs)
            calls.append(prefix + _name)
            return out

        setattr(obj, name, functools.update_wrapper(functools.partial(record), target))


def _hook_names(cls, exclude=()):
    return sorted(n for n in dir(cls) if n.startswith(("on_", "setup", "teardown")) and n not in exclude
                  and inspect.isfunction(getattr(cls, n)))


def _trainer(**kwargs):
    base = dict(default_root_dir=tempfile.mkdtemp(), enable_progress_bar=False, enable_model_summary=False,
                logger=False, enable_checkpointing=False)
    return pl.Trainer(**{**base, **kwargs})


def wrapped_hooks():
    """Every Callback/LightningModule hook wrapped on the instance: all of them are called, as for overrides."""
    out = {}
    module_hooks = _hook_names(pl.LightningModule, exclude={"on_validation_model_train", "on_test_model_train"})
    for stage in ("fit", "validate", "test", "predict"):
        calls = []
        model, callback = BoringModel(), pl.Callback()
        _wrap_hooks(model, [n for n in module_hooks if n not in _SKIP], calls, "")
        _wrap_hooks(model, ["optimizer_step", "optimizer_zero_grad", "backward", "lr_scheduler_step",
                            "configure_gradient_clipping"], calls, "")
        _wrap_hooks(callback, _hook_names(pl.Callback), calls, "Callback.")
        trainer = _trainer(max_epochs=1, limit_train_batches=2, limit_val_batches=1, limit_test_batches=1,
                           limit_predict_batches=1, num_sanity_val_steps=0, callbacks=[callback])
        kwargs = {} if stage in ("fit", "predict") else {"verbose": False}
        getattr(trainer, stage)(model, **kwargs)
        out[stage] = calls
    return out


class _FrozenPart(BoringModel):
    def __init__(self):
        super().__init__()
        self.frozen = torch.nn.Linear(2, 2)
        self.frozen.eval()
        self.seen = []

    def _note(self, where):
        self.seen.append([where, self.layer.training, self.frozen.training])

    def training_step(self, batch, batch_idx):
        self._note("train")
        return super().training_step(batch, batch_idx)

    def validation_step(self, batch, batch_idx):
        self._note("val")
        return super().validation_step(batch, batch_idx)

    def test_step(self, batch, batch_idx):
        self._note("test")
        return super().test_step(batch, batch_idx)

    def predict_step(self, batch, batch_idx, dataloader_idx=0):
        self._note("predict")
        return super().predict_step(batch, batch_idx, dataloader_idx)


def module_modes():
    """The training flag of a frozen (eval) submodule and of the rest, in each step and after each stage."""
    model = _FrozenPart()
    trainer = _trainer(max_epochs=1, limit_train_batches=2, limit_val_batches=1, limit_test_batches=1,
                       limit_predict_batches=1, num_sanity_val_steps=1)
    after = []
    for stage in ("fit", "validate", "test", "predict"):
        kwargs = {} if stage in ("fit", "predict") else {"verbose": False}
        getattr(trainer, stage)(model, **kwargs)
        after.append([stage, model.training, model.layer.training, model.frozen.training])
    model.train()
    model.frozen.train()
    trainer.validate(model, verbose=False)  # a model fully in train mode comes back in train mode
    after.append(["validate_all_train", model.training, model.frozen.training])
    return {"steps": model.seen, "after": after}


class _CountLoaders(BoringModel):
    def __init__(self):
        super().__init__()
        self.requested = []

    def val_dataloader(self):
        self.requested.append("val")
        return DataLoader(RandomDataset(32, 4))

    def test_dataloader(self):
        self.requested.append("test")
        return DataLoader(RandomDataset(32, 4))


def zero_limit_loaders():
    """With a zero batch limit, validate/test neither request their dataloader nor run hooks."""
    out = {}
    for stage, limit in (("validate", "limit_val_batches"), ("test", "limit_test_batches")):
        for value in (0, 0.0, 2):
            model = _CountLoaders()
            getattr(_trainer(**{limit: value}), stage)(model, verbose=False)
            out[f"{stage}-{value}"] = model.requested
    return out


class _Record(pl.Callback):
    def __init__(self):
        self.calls = []

    def on_train_epoch_start(self, trainer, pl_module):
        self.calls.append(f"epoch_start {trainer.current_epoch}")

    def on_train_batch_start(self, trainer, pl_module, batch, batch_idx):
        self.calls.append(f"batch {batch_idx}")

    def on_train_epoch_end(self, trainer, pl_module):
        self.calls.append(f"epoch_end {trainer.current_epoch} step {trainer.global_step}")

    def on_validation_start(self, trainer, pl_module):
        self.calls.append("sanity" if trainer.sanity_checking else "validation")


def resume_under_step_limit():
    """A run stopped by max_steps inside an epoch saves from its epoch-end hooks; resumed with a larger max_steps
    it finishes that epoch's remaining batches."""
    out = {}
    for first, batches, second, val in ((1, 64, 3, 0), (1, 4, 3, 2), (3, 2, 7, 2), (1, 4, 6, 2)):
        root = tempfile.mkdtemp()
        kwargs = dict(default_root_dir=root, limit_train_batches=batches, limit_val_batches=val,
                      enable_progress_bar=False, enable_model_summary=False, logger=False)
        trainer = pl.Trainer(max_steps=first, **kwargs)
        trainer.fit(BoringModel())
        record = _Record()
        trainer = pl.Trainer(max_steps=second, callbacks=[record], **kwargs)
        trainer.fit(BoringModel(), ckpt_path=trainer_ckpt(root))
        progress = trainer.fit_loop.epoch_progress.current
        out[f"{first}-{batches}-{second}-{val}"] = [
            record.calls, trainer.current_epoch, trainer.global_step,
            [progress.ready, progress.started, progress.processed, progress.completed],
        ]
    return out


def trainer_ckpt(root):
    import glob

    (path,) = glob.glob(f"{root}/**/*.ckpt", recursive=True)
    return path


if __name__ == "__main__":
    names = sys.argv[1:] or ["wrapped_hooks", "module_modes", "zero_limit_loaders", "resume_under_step_limit"]
    print(json.dumps({name: globals()[name]() for name in names}))
