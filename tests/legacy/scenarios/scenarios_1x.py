"""1.x code (pytorch_lightning), run under the real pytorch-lightning 1.9.5 and under ours (issue 15): hook overrides
whose signatures are generic or decorated (item 4), *_step_end hooks returning None (6), the learning-rate finder (7),
1.x Trainer arguments (8) and branches on ``pl.__version__`` (10)."""
import functools
import os

import torch
from torch import nn

import pytorch_lightning as pl
from common import data, main, trainer_kwargs, weights


def counted(fn):
    """A typical logging decorator: a generic wrapper that keeps the wrapped signature visible (functools.wraps)."""

    @functools.wraps(fn)
    def wrapper(self, *args, **kwargs):
        self.calls[fn.__name__] = self.calls.get(fn.__name__, 0) + 1
        return fn(self, *args, **kwargs)

    return wrapper


class Base(pl.LightningModule):
    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.layer = nn.Linear(3, 1)
        self.calls = {}

    def count(self, name):
        self.calls[name] = self.calls.get(name, 0) + 1

    def training_step(self, batch, batch_idx):
        x, y = batch
        return {"loss": nn.functional.mse_loss(self.layer(x), y)}

    def validation_step(self, batch, batch_idx):
        x, y = batch
        loss = nn.functional.mse_loss(self.layer(x), y)
        self.log("val_loss", loss)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.parameters(), lr=0.05, momentum=0.9)
        return [optimizer], [torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)]


class Generic(Base):
    """Every override forwards whatever it gets to the parent: correct whatever the caller's convention is."""

    def transfer_batch_to_device(self, *args, **kwargs):
        self.count("transfer_batch_to_device")
        return super().transfer_batch_to_device(*args, **kwargs)

    def on_train_batch_start(self, *args, **kwargs):
        self.count("on_train_batch_start")
        return super().on_train_batch_start(*args, **kwargs)

    def on_train_batch_end(self, *args, **kwargs):
        self.count("on_train_batch_end")

    def on_train_epoch_end(self, *args, **kwargs):
        self.count("on_train_epoch_end")

    def on_validation_batch_end(self, outputs, *args, **kwargs):
        self.count("on_validation_batch_end")

    def on_before_optimizer_step(self, optimizer, *args, **kwargs):
        self.count("on_before_optimizer_step")

    def optimizer_step(self, *args, **kwargs):
        self.count("optimizer_step")
        return super().optimizer_step(*args, **kwargs)

    def optimizer_zero_grad(self, epoch, batch_idx, optimizer, *rest):
        self.count("optimizer_zero_grad")
        optimizer.zero_grad()

    def backward(self, loss, *args, **kwargs):
        self.count("backward")
        loss.backward()

    def lr_scheduler_step(self, scheduler, *args, **kwargs):
        self.count("lr_scheduler_step")
        scheduler.step()

    def configure_gradient_clipping(self, optimizer, *args, **kwargs):
        self.count("configure_gradient_clipping")
        self.clip_gradients(optimizer, gradient_clip_val=0.5, gradient_clip_algorithm="norm")


class Decorated(Base):
    """1.9.5's own signatures (``optimizer_idx`` ...) behind a functools.wraps decorator."""

    @counted
    def optimizer_step(self, epoch, batch_idx, optimizer, optimizer_idx, optimizer_closure, on_tpu,
                       using_lbfgs):
        optimizer.step(closure=optimizer_closure)

    @counted
    def optimizer_zero_grad(self, epoch, batch_idx, optimizer, optimizer_idx):
        optimizer.zero_grad()

    @counted
    def backward(self, loss, optimizer, optimizer_idx):
        loss.backward()

    @counted
    def on_before_optimizer_step(self, optimizer, optimizer_idx):
        pass

    @counted
    def transfer_batch_to_device(self, batch, device, dataloader_idx):
        return super().transfer_batch_to_device(batch, device, dataloader_idx)

    @counted
    def on_validation_batch_start(self, batch, batch_idx, dataloader_idx):
        pass


class GenericCallback(pl.Callback):
    def __init__(self):
        self.calls = {}

    def _count(self, name):
        self.calls[name] = self.calls.get(name, 0) + 1

    def on_train_batch_end(self, *args, **kwargs):
        self._count("on_train_batch_end")

    def on_train_epoch_end(self, trainer, pl_module, *args, **kwargs):
        self._count("on_train_epoch_end")

    def on_validation_batch_start(self, trainer, pl_module, *args):
        self._count("on_validation_batch_start")

    def on_before_optimizer_step(self, trainer, pl_module, *args, **kwargs):
        self._count("on_before_optimizer_step")


class StepEndNone(Base):
    """1.x: a *_step_end that returns None leaves the step's own output in place."""

    def training_step_end(self, step_output):
        self.count("training_step_end")

    def validation_step_end(self, step_output):
        self.count("validation_step_end")

    def validation_epoch_end(self, outputs):
        self.calls.setdefault("val_outputs", []).append(round(float(torch.stack(outputs).sum()), 5))


def fit(model, root, **kwargs):
    callback = GenericCallback()
    trainer = pl.Trainer(callbacks=[callback], **trainer_kwargs(root, **kwargs))
    trainer.fit(model, data(), data(16, seed=1))
    return {"weights": weights(model), "calls": model.calls, "callback_calls": callback.calls,
            "global_step": trainer.global_step}


class LRModel(Base):
    def __init__(self):
        super().__init__()
        self.lr = 0.01

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=self.lr)


def _finder_result(finder, model):
    return {"suggestion": finder.suggestion(), "suggestion_skip_5": finder.suggestion(skip_begin=5, skip_end=3),
            "model_lr": model.lr, "losses": [round(v, 6) for v in finder.results["loss"]],
            "lrs": finder.results["lr"]}


def lr_find_by_tune(root):
    model = LRModel()
    trainer = pl.Trainer(**trainer_kwargs(root, auto_lr_find=True, max_epochs=1))
    result = trainer.tune(model, train_dataloaders=data(960, 8))
    return _finder_result(result["lr_find"], model)


def lr_find_by_tuner(root):
    model = LRModel()
    trainer = pl.Trainer(**trainer_kwargs(root, max_epochs=1))
    finder = trainer.tuner.lr_find(model, train_dataloaders=data(960, 8), num_training=60, max_lr=10.0)
    return _finder_result(finder, model)


def _defaults_1_9_5() -> dict:
    """1.9.5's Trainer defaults: its own signature under the real package, the migration table's copy under ours."""
    import inspect

    params = inspect.signature(pl.Trainer.__init__).parameters
    if "gpus" in params:  # the real 1.9.5
        return {name: p.default for name, p in params.items() if name != "self"}
    from lit_migrate.legacy_facts import TRAINER_ARGPARSE_1_9

    return dict({name: default for name, default, _ in TRAINER_ARGPARSE_1_9}, callbacks=None, deterministic=None)


def _outcome(fn):
    try:
        fn()
        return "ok"
    except Exception as err:  # noqa: BLE001
        return type(err).__name__


def defaults_written_out(root):
    """Every 1.9.5 Trainer argument given its default value explicitly: alone, and all together for a fit."""
    defaults = _defaults_1_9_5()
    alone = {name: _outcome(lambda: pl.Trainer(**dict({"default_root_dir": root}, **{name: value})))
             for name, value in defaults.items()}
    model = Base()
    trainer = pl.Trainer(**dict(defaults, default_root_dir=root, max_epochs=2, enable_progress_bar=False,
                                enable_model_summary=False))
    trainer.fit(model, data(), data(16, seed=1))
    return {"defaults": {k: repr(v) for k, v in sorted(defaults.items())}, "alone": alone, "weights": weights(model),
            "global_step": trainer.global_step, "device": str(model.device),
            "checkpoint": os.path.basename(trainer.checkpoint_callback.best_model_path)}


class TwoLoaders(Base):
    def train_dataloader(self):
        return {"a": data(32, 8), "b": data(16, 8, seed=2)}

    def training_step(self, batch, batch_idx):
        (xa, ya), (xb, yb) = batch["a"], batch["b"]
        return nn.functional.mse_loss(self.layer(xa), ya) + nn.functional.mse_loss(self.layer(xb), yb)


def trainloader_mode(root, mode):
    model = TwoLoaders()
    trainer = pl.Trainer(**trainer_kwargs(root, multiple_trainloader_mode=mode))
    trainer.fit(model)
    return {"weights": weights(model), "global_step": trainer.global_step,
            "num_training_batches": trainer.num_training_batches}


class Logged(Base):
    def training_step(self, batch, batch_idx):
        out = super().training_step(batch, batch_idx)
        self.log("train_loss", out["loss"], on_epoch=True)
        return out


def move_metrics_to_cpu(root):
    model = Logged()
    trainer = pl.Trainer(**trainer_kwargs(root, move_metrics_to_cpu=True))
    trainer.fit(model, data(), data(16, seed=1))
    metrics = {k: round(float(v), 6) for k, v in sorted(trainer.callback_metrics.items())}
    devices = sorted({str(v.device) for v in trainer.callback_metrics.values()})
    return {"weights": weights(model), "metrics": metrics, "devices": devices}


def amp_level(root):
    return {str(kwargs): _outcome(lambda: pl.Trainer(default_root_dir=root, **kwargs)) for kwargs in (
        {"amp_level": "O2"}, {"amp_level": "O1", "precision": 16}, {"amp_level": None}, {"amp_backend": "native"},
        {"amp_backend": "native", "amp_level": "O2"})}


def _plain_init(fn):
    @functools.wraps(fn)
    def wrapper(self, *args, **kwargs):
        return fn(self, *args, **kwargs)

    return wrapper


class DMGeneric(pl.LightningDataModule):
    def __init__(self, data_dir: str = "data", batch_size: int = 4, *args, **kwargs):
        super().__init__()
        self.data_dir, self.batch_size = data_dir, batch_size


class DMKeywordOnly(pl.LightningDataModule):
    def __init__(self, data_dir: str = "data", *, batch_size: int = 4, shuffle: bool = False):
        super().__init__()
        self.data_dir, self.batch_size, self.shuffle = data_dir, batch_size, shuffle


class DMDecorated(pl.LightningDataModule):
    @_plain_init
    def __init__(self, data_dir: str = "data", batch_size: int = 4):
        super().__init__()
        self.data_dir, self.batch_size = data_dir, batch_size


def argparse_signatures(root):
    """1.x ``add_argparse_args`` / ``from_argparse_args`` of classes with generic, keyword-only and decorated
    ``__init__`` signatures."""
    from argparse import ArgumentParser

    out = {}
    for cls in (DMGeneric, DMKeywordOnly, DMDecorated):
        try:
            parser = cls.add_argparse_args(ArgumentParser())
            args = parser.parse_args(["--batch_size", "16"])
            dm = cls.from_argparse_args(args, data_dir="elsewhere")
            out[cls.__name__] = {"args": {k: repr(v) for k, v in sorted(vars(args).items())},
                                 "built": {k: repr(getattr(dm, k)) for k in ("data_dir", "batch_size")}}
        except BaseException as err:  # noqa: BLE001  (argparse exits with SystemExit)
            out[cls.__name__] = {"error": type(err).__name__}
    return out


def lr_find_diverging(root):
    """A range that blows the loss up to inf/nan: the non-finite points are dropped before the steepest one is
    picked (1.9.5 then shifted the index by skip_begin only)."""
    model = LRModel()
    trainer = pl.Trainer(**trainer_kwargs(root, max_epochs=1))
    finder = trainer.tuner.lr_find(model, train_dataloaders=data(960, 8), num_training=80, max_lr=1e8,
                                   early_stop_threshold=None)
    result = _finder_result(finder, model)
    result["losses"] = [v if v == v and abs(v) != float("inf") else repr(v) for v in result["losses"]]
    return result


def version_branches(root):
    """The usual 1.x version checks, each choosing the 1.x spelling when the version says 1.x."""
    from packaging.version import Version

    version = Version(pl.__version__)

    class Model(Base):
        if version < Version("2.0"):
            def training_epoch_end(self, outputs):
                self.calls["epoch_outputs"] = len(outputs)

    device_kwargs = {"gpus": 0} if version < Version("1.7") else {"accelerator": "cpu", "devices": 1}
    result = fit(Model(), root, **device_kwargs)
    return dict(result, below_1_6=version < Version("1.6"), below_2_0=version < Version("2.0"),
                at_least_1_9=version >= Version("1.9"), major=version.major)


SCENARIOS = {
    "generic_signatures": lambda root: fit(Generic(), root),
    "decorated_1x_signatures": lambda root: fit(Decorated(), root),
    "step_end_returns_none": lambda root: fit(StepEndNone(), root),
    "version_branches": version_branches,
    "defaults_written_out": defaults_written_out,
    "trainloader_min_size": lambda root: trainloader_mode(root, "min_size"),
    "trainloader_max_size_cycle": lambda root: trainloader_mode(root, "max_size_cycle"),
    "move_metrics_to_cpu": move_metrics_to_cpu,
    "amp_level": amp_level,
    "argparse_signatures": argparse_signatures,
    "lr_find_diverging": lr_find_diverging,
    "lr_find_by_tune": lr_find_by_tune,
    "lr_find_by_tuner": lr_find_by_tuner,
}

if __name__ == "__main__":
    main(SCENARIOS)
