"""Callbacks inside real `fit` runs of the tiny model, measured identically for any Lightning implementation.

    .ref/l2/bin/python tests/checkpointing/reference/fit_scenarios.py   # writes fit-2.6.6.json

`run_all(ns, root)` returns JSON-able results; test_fit_scenarios.py compares ours to the committed reference.
"""
from __future__ import annotations

import importlib
import json
import os
import sys
import tempfile
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "fixtures" / "checkpoints"))
from generate import _trainer, describe  # noqa: E402
from tiny_model import make_loader, make_tiny_model_class  # noqa: E402


def _round(x, n=6):
    return round(float(x), n)


def _weights(model):
    return {k: [_round(v) for v in t.flatten()[:4]] for k, t in model.state_dict().items()}


def early_stopping(ns, root):
    ns.seed_everything(0)
    cb = ns.callbacks.EarlyStopping(monitor="val_loss", patience=1)
    trainer = _trainer(ns, root, max_epochs=6, callbacks=[cb], logger=False, enable_checkpointing=False)
    trainer.fit(make_tiny_model_class(ns)())
    state = cb.state_dict()
    return {"current_epoch": trainer.current_epoch, "global_step": trainer.global_step,
            "stopped_epoch": cb.stopped_epoch, "wait_count": state["wait_count"],
            "best_score": _round(state["best_score"]), "should_stop": trainer.should_stop}


def early_stopping_on_train_epoch_end(ns, root):
    ns.seed_everything(0)
    cb = ns.callbacks.EarlyStopping(monitor="train_loss_epoch", patience=0, min_delta=10.0,
                                    check_on_train_epoch_end=True)
    trainer = _trainer(ns, root, max_epochs=5, callbacks=[cb], logger=False, enable_checkpointing=False)
    trainer.fit(make_tiny_model_class(ns)())
    return {"current_epoch": trainer.current_epoch, "stopped_epoch": cb.stopped_epoch}


def lr_monitor(ns, root):
    out = {}
    for interval in (None, "step", "epoch"):
        ns.seed_everything(0)
        cb = ns.callbacks.LearningRateMonitor(logging_interval=interval)
        loggers = importlib.import_module(f"{ns.__name__}.loggers")
        logger = loggers.CSVLogger(os.path.join(root, str(interval)))
        trainer = _trainer(ns, root, max_epochs=2, callbacks=[cb], logger=logger, enable_checkpointing=False,
                           log_every_n_steps=2)
        trainer.fit(make_tiny_model_class(ns)())
        out[str(interval)] = {k: [_round(v) for v in vs] for k, vs in cb.lrs.items()}
    return out


def accumulation_scheduler(ns, root):
    ns.seed_everything(0)
    cb = ns.callbacks.GradientAccumulationScheduler({1: 2, 2: 4})
    trainer = _trainer(ns, root, max_epochs=3, callbacks=[cb], logger=False, enable_checkpointing=False)
    model = make_tiny_model_class(ns)()
    trainer.fit(model)
    return {"global_step": trainer.global_step, "weights": _weights(model)}


def swa(ns, root):
    ns.seed_everything(0)
    cb = ns.callbacks.StochasticWeightAveraging(swa_lrs=0.05, swa_epoch_start=2, annealing_epochs=1)
    trainer = _trainer(ns, root, max_epochs=4, callbacks=[cb], logger=False, enable_checkpointing=False)
    model = make_tiny_model_class(ns)()
    trainer.fit(model)
    return {"global_step": trainer.global_step, "n_averaged": int(cb.n_averaged), "weights": _weights(model),
            "lr": _round(trainer.optimizers[0].param_groups[0]["lr"])}


def backbone_finetuning(ns, root):
    TinyModel = make_tiny_model_class(ns)

    class WithBackbone(TinyModel):
        def __init__(self):
            super().__init__()
            self.backbone = self.net[0]

        def configure_optimizers(self):
            return torch.optim.SGD(filter(lambda p: p.requires_grad, self.parameters()), lr=0.1)

    ns.seed_everything(0)
    cb = ns.callbacks.BackboneFinetuning(unfreeze_backbone_at_epoch=1, backbone_initial_ratio_lr=0.5)
    lrs = []

    class Record(ns.Callback):
        def on_train_epoch_end(self, trainer, pl_module):
            lrs.append([_round(g["lr"]) for g in trainer.optimizers[0].param_groups])

    trainer = _trainer(ns, root, max_epochs=4, callbacks=[cb, Record()], logger=False, enable_checkpointing=False)
    model = WithBackbone()
    trainer.fit(model)
    state = cb.state_dict()
    return {"lrs": lrs, "weights": _weights(model), "previous_backbone_lr": _round(state["previous_backbone_lr"]),
            "metadata_groups": len(state["internal_optimizer_metadata"][0])}


def on_exception(ns, root):
    TinyModel = make_tiny_model_class(ns)

    class Failing(TinyModel):
        def training_step(self, batch, batch_idx):
            if self.global_step == 5:
                raise RuntimeError("boom")
            return super().training_step(batch, batch_idx)

    ns.seed_everything(0)
    cb = ns.callbacks.OnExceptionCheckpoint(dirpath=os.path.join(root, "exc"))
    mc = ns.callbacks.ModelCheckpoint(dirpath=os.path.join(root, "mc"), save_on_exception=True)
    trainer = _trainer(ns, root, max_epochs=3, callbacks=[cb, mc], logger=False)
    try:
        trainer.fit(Failing())
    except RuntimeError:
        pass
    files = {}
    for folder in ("exc", "mc"):
        for name in sorted(os.listdir(os.path.join(root, folder))):
            ckpt = torch.load(os.path.join(root, folder, name), weights_only=False)
            files[f"{folder}/{name}"] = [ckpt["epoch"], ckpt["global_step"]]
    return files


def lambda_hooks(ns, root):
    calls = []

    def rec(name):
        return lambda *args, **kwargs: calls.append(name)

    names = ("on_fit_start", "on_train_epoch_start", "on_validation_end", "on_train_epoch_end", "on_fit_end",
             "on_save_checkpoint")
    ns.seed_everything(0)
    cb = ns.callbacks.LambdaCallback(**{n: rec(n) for n in names})
    trainer = _trainer(ns, root, max_epochs=1, callbacks=[cb], logger=False, num_sanity_val_steps=0)
    trainer.fit(make_tiny_model_class(ns)())
    return calls


def callback_states_roundtrip(ns, root):
    """Stateful callbacks write their state under their state_key; a resumed run gets it back."""
    ns.seed_everything(0)
    callbacks = [ns.callbacks.EarlyStopping(monitor="val_loss", patience=5),
                 ns.callbacks.ModelCheckpoint(monitor="val_loss", save_top_k=2, save_last=True),
                 ns.callbacks.Timer(duration={"hours": 1})]
    trainer = _trainer(ns, root, max_epochs=2, callbacks=callbacks, logger=False)
    trainer.fit(make_tiny_model_class(ns)())
    path = callbacks[1].last_model_path
    ckpt = torch.load(path, weights_only=False)
    tree = describe(ckpt["callbacks"], root)
    tree["Timer"] = sorted(tree["Timer"]["time_elapsed"])
    es = ns.callbacks.EarlyStopping(monitor="val_loss", patience=5)
    mc = ns.callbacks.ModelCheckpoint(monitor="val_loss", save_top_k=2, save_last=True)
    trainer = _trainer(ns, root, max_epochs=3, callbacks=[es, mc], logger=False)
    trainer.fit(make_tiny_model_class(ns)(), ckpt_path=path)
    return {"saved": tree, "resumed_best_k": sorted(os.path.basename(p) for p in mc.best_k_models),
            "resumed_es": [es.wait_count, _round(es.best_score)], "last": os.path.basename(mc.last_model_path)}


def datamodule_checkpoint(ns, root):
    class DM(ns.LightningDataModule):
        def __init__(self, batch_size: int = 4, name: str = "tiny"):
            super().__init__()
            self.save_hyperparameters()
            self.loads = 0

        def train_dataloader(self):
            return make_loader(4, seed=1)

        def state_dict(self):
            return {"loads": self.loads + 1}

        def load_state_dict(self, state):
            self.loads = state["loads"]

    ns.seed_everything(0)
    trainer = _trainer(ns, root, max_epochs=1, logger=False, enable_checkpointing=False, limit_val_batches=0)
    dm = DM(batch_size=4, name="x")
    trainer.fit(make_tiny_model_class(ns)(), datamodule=dm)
    path = os.path.join(root, "dm.ckpt")
    trainer.save_checkpoint(path)
    ckpt = torch.load(path, weights_only=False)
    keys = {k: describe(v) for k, v in ckpt.items() if k.startswith("datamodule") or k == "DM"}
    loaded = DM.load_from_checkpoint(path)
    trainer = _trainer(ns, root, max_epochs=2, logger=False, enable_checkpointing=False, limit_val_batches=0)
    dm2 = DM()
    trainer.fit(make_tiny_model_class(ns)(), datamodule=dm2, ckpt_path=path)
    return {"keys": keys, "loaded_hparams": dict(loaded.hparams), "loaded_state": loaded.loads,
            "resumed_state": dm2.loads}


SCENARIOS = [early_stopping, early_stopping_on_train_epoch_end, lr_monitor, accumulation_scheduler, swa,
             backbone_finetuning, on_exception, lambda_hooks, callback_states_roundtrip, datamodule_checkpoint]


def run_one(ns, fn):
    with tempfile.TemporaryDirectory() as root:
        return json.loads(json.dumps(fn(ns, root)))


if __name__ == "__main__":
    import logging
    import warnings

    import lightning
    import lightning.pytorch as ns

    warnings.simplefilter("ignore")
    logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)
    result = {"generator": "tests/checkpointing/reference/fit_scenarios.py"}
    for fn in SCENARIOS:
        result[fn.__name__] = run_one(ns, fn)
    out = Path(__file__).with_name(f"fit-{lightning.__version__}.json")
    out.write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {out}", file=sys.stderr)
