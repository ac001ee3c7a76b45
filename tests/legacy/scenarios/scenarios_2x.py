"""2.x code (lightning) with hook overrides whose signatures are generic, decorated or keyword-only, and methods that
were 1.x hooks (``training_step_end`` called by the user's own ``training_step``, an ``on_epoch_start`` helper): run
under the real lightning 2.6.6 and under ours, which must not give it any 1.x meaning (issue 15 items 4, 9)."""
import functools

import torch
from torch import nn

import lightning as L
from common import data, main, trainer_kwargs, weights


def counted(fn):
    @functools.wraps(fn)
    def wrapper(self, *args, **kwargs):
        self.calls[fn.__name__] = self.calls.get(fn.__name__, 0) + 1
        return fn(self, *args, **kwargs)

    return wrapper


class Base(L.LightningModule):
    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.layer = nn.Linear(3, 1)
        self.calls = {}

    def count(self, name):
        self.calls[name] = self.calls.get(name, 0) + 1

    def training_step(self, batch, batch_idx):
        x, y = batch
        return nn.functional.mse_loss(self.layer(x), y)

    def validation_step(self, batch, batch_idx):
        x, y = batch
        loss = nn.functional.mse_loss(self.layer(x), y)
        self.log("val_loss", loss)
        return loss

    def predict_step(self, batch, batch_idx):
        return self.layer(batch[0])

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.parameters(), lr=0.05, momentum=0.9)
        return [optimizer], [torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)]


class Generic(Base):
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
        return super().on_train_epoch_end(*args, **kwargs)

    def on_predict_epoch_end(self, *args, **kwargs):
        self.count("on_predict_epoch_end")

    def on_validation_batch_end(self, outputs, *args, **kwargs):
        self.count("on_validation_batch_end")

    def on_before_optimizer_step(self, *args, **kwargs):
        self.count("on_before_optimizer_step")

    def optimizer_step(self, *args, **kwargs):
        self.count("optimizer_step")
        return super().optimizer_step(*args, **kwargs)

    def optimizer_zero_grad(self, *args, **kwargs):
        self.count("optimizer_zero_grad")
        return super().optimizer_zero_grad(*args, **kwargs)

    def backward(self, *args, **kwargs):
        self.count("backward")
        return super().backward(*args, **kwargs)

    def lr_scheduler_step(self, *args, **kwargs):
        self.count("lr_scheduler_step")
        return super().lr_scheduler_step(*args, **kwargs)

    def configure_gradient_clipping(self, *args, **kwargs):
        self.count("configure_gradient_clipping")
        return super().configure_gradient_clipping(*args, **kwargs)

    def validation_step(self, *args, **kwargs):
        self.count("validation_step")
        return super().validation_step(*args, **kwargs)


class Decorated(Base):
    @counted
    def transfer_batch_to_device(self, batch, device, dataloader_idx):
        return super().transfer_batch_to_device(batch, device, dataloader_idx)

    @counted
    def optimizer_step(self, epoch, batch_idx, optimizer, optimizer_closure=None):
        optimizer.step(closure=optimizer_closure)

    @counted
    def on_before_optimizer_step(self, optimizer):
        pass

    @counted
    def on_train_epoch_end(self):
        pass

    @counted
    def on_train_batch_start(self, batch, batch_idx):
        pass


class DecoratedSteps(Base):
    """Steps without ``batch_idx`` behind a generic functools.wraps decorator: 2.x looks through the decorator."""

    @counted
    def training_step(self, batch):
        x, y = batch
        return nn.functional.mse_loss(self.layer(x), y)

    @counted
    def validation_step(self, batch):
        x, y = batch
        self.log("val_loss", nn.functional.mse_loss(self.layer(x), y))

    @counted
    def predict_step(self, batch):
        return self.layer(batch[0])


class KeywordOnly(Base):
    def transfer_batch_to_device(self, batch, device, dataloader_idx, *, non_blocking=False):
        self.count("transfer_batch_to_device")
        return super().transfer_batch_to_device(batch, device, dataloader_idx)

    def on_before_optimizer_step(self, optimizer, *, optimizer_idx=0):
        self.count("on_before_optimizer_step")

    def on_train_epoch_end(self, *, outputs=None):
        self.count("on_train_epoch_end")

    def backward(self, loss, *args, optimizer=None, **kwargs):
        self.count("backward")
        loss.backward()


class FormerHooksAsMethods(Base):
    """Methods named like 1.x hooks, which 2.x never calls: the module calls them itself."""

    def training_step_end(self, loss):
        self.count("training_step_end")
        return loss * 0.5

    def training_step(self, batch, batch_idx):
        self.on_epoch_start()
        return self.training_step_end(super().training_step(batch, batch_idx))

    def validation_step_end(self, loss):
        self.count("validation_step_end")
        return loss

    def validation_step(self, batch, batch_idx):
        return self.validation_step_end(super().validation_step(batch, batch_idx))

    def on_epoch_start(self):
        self.count("on_epoch_start")

    def on_batch_end(self):
        self.count("on_batch_end")


class FormerHooksCallback(L.Callback):
    def __init__(self):
        self.calls = {}

    def on_epoch_start(self, trainer, pl_module):
        self.calls["on_epoch_start"] = self.calls.get("on_epoch_start", 0) + 1

    def on_train_epoch_end(self, trainer, pl_module, *args):
        self.calls["on_train_epoch_end"] = self.calls.get("on_train_epoch_end", 0) + 1


class EpochEndOutputs(Base):
    def training_epoch_end(self, outputs):
        self.count("training_epoch_end")


def fit(model, root, predict=False, **kwargs):
    callback = FormerHooksCallback()
    trainer = L.Trainer(callbacks=[callback], **trainer_kwargs(root, **kwargs))
    trainer.fit(model, data(), data(16, seed=1))
    if predict:
        trainer.predict(model, data(8))
    return {"weights": weights(model), "calls": model.calls, "callback_calls": callback.calls,
            "global_step": trainer.global_step}


class LRModel(Base):
    def __init__(self):
        super().__init__()
        self.lr = 0.01

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=self.lr)


def lr_find(root):
    """2.x code keeps 2.6.6's suggestion rule (the 1.x one is only for 1.x entry points)."""
    from lightning.pytorch.tuner import Tuner

    model = LRModel()
    trainer = L.Trainer(**trainer_kwargs(root, max_epochs=1))
    finder = Tuner(trainer).lr_find(model, train_dataloaders=data(960, 8))
    return {"suggestion": finder.suggestion(), "model_lr": model.lr,
            "losses": [round(v, 6) for v in finder.results["loss"]]}


def _two_val_loaders(model, root):
    trainer = L.Trainer(**trainer_kwargs(root, max_epochs=1))
    trainer.validate(model, [data(16, seed=1), data(8, seed=2)], verbose=False)
    return {"calls": model.calls}


class BatchEndWithoutIdx(Base):
    def on_validation_batch_end(self, outputs, batch, batch_idx):
        self.count("on_validation_batch_end")


class StepVarArgs(Base):
    def validation_step(self, *args):
        self.count("validation_step")
        return super().validation_step(*args[:2])

    def on_validation_batch_start(self, *args, **kwargs):
        self.count("on_validation_batch_start")


class StepKeywordOnlyIdx(Base):
    def validation_step(self, batch, batch_idx, *, dataloader_idx=0):
        self.count("validation_step")


class DecoratedStepWithIdx(Base):
    @counted
    def validation_step(self, batch, batch_idx, dataloader_idx=0):
        return super().validation_step(batch, batch_idx)


class SingleLoaderRequiredIdx(Base):
    def validation_step(self, batch, batch_idx, dataloader_idx):
        self.count("validation_step")


def _one_val_loader(model, root):
    trainer = L.Trainer(**trainer_kwargs(root, max_epochs=1))
    trainer.validate(model, data(16, seed=1), verbose=False)
    return {"calls": model.calls}


def _init_counted(fn):
    @functools.wraps(fn)
    def wrapper(self, *args, **kwargs):
        return fn(self, *args, **kwargs)

    return wrapper


class HpVarArgs(Base):
    def __init__(self, *args, **kwargs):
        super().__init__()
        self.save_hyperparameters()


class HpKeywordOnly(Base):
    def __init__(self, hidden=4, *, lr=0.1):
        super().__init__()
        self.save_hyperparameters()


class HpDecorated(Base):
    @_init_counted
    def __init__(self, hidden=4, lr=0.1):
        super().__init__()
        self.save_hyperparameters()


class HpExtraKwargs(Base):
    def __init__(self, hidden=4, **kwargs):
        super().__init__()
        self.save_hyperparameters()


def hparams_signatures(root):
    """save_hyperparameters / load_from_checkpoint with generic, keyword-only and decorated __init__ signatures."""
    out = {}
    for cls, args, kwargs in ((HpVarArgs, (1, 2), {"lr": 0.2}), (HpKeywordOnly, (8,), {"lr": 0.3}),
                              (HpDecorated, (5,), {"lr": 0.4}), (HpExtraKwargs, (), {"hidden": 6, "extra": "x"})):
        name = cls.__name__
        try:
            model = cls(*args, **kwargs)
            hparams = {k: repr(v) for k, v in sorted(model.hparams.items())}
            trainer = L.Trainer(**trainer_kwargs(root, max_steps=1))
            trainer.fit(model, data())
            path = f"{root}/{name}.ckpt"
            trainer.save_checkpoint(path)
            loaded = {k: repr(v) for k, v in sorted(cls.load_from_checkpoint(path).hparams.items())}
            out[name] = {"hparams": hparams, "loaded": loaded}
        except Exception as err:  # noqa: BLE001
            out[name] = {"error": type(err).__name__}
    return out


SCENARIOS = {
    "hparams_signatures": hparams_signatures,
    "several_loaders_batch_end_without_idx": lambda root: _two_val_loaders(BatchEndWithoutIdx(), root),
    "several_loaders_varargs": lambda root: _two_val_loaders(StepVarArgs(), root),
    "several_loaders_keyword_only_idx": lambda root: _two_val_loaders(StepKeywordOnlyIdx(), root),
    "several_loaders_decorated_step": lambda root: _two_val_loaders(DecoratedStepWithIdx(), root),
    "one_loader_required_idx": lambda root: _one_val_loader(SingleLoaderRequiredIdx(), root),
    "generic_signatures": lambda root: fit(Generic(), root, predict=True),
    "decorated_2x_signatures": lambda root: fit(Decorated(), root),
    "decorated_steps_without_batch_idx": lambda root: fit(DecoratedSteps(), root, predict=True),
    "lr_find": lr_find,
    "keyword_only": lambda root: fit(KeywordOnly(), root),
    "former_hooks_as_methods": lambda root: fit(FormerHooksAsMethods(), root),
    "training_epoch_end_defined": lambda root: fit(EpochEndOutputs(), root),
}

if __name__ == "__main__":
    main(SCENARIOS)
