"""Runs scenarios (scenarios.py) under whichever Lightning this interpreter imports and prints what it observed.

    python runner.py            reads JSON lines from stdin, each a list of scenarios; answers each with one
                                JSON line: the list of their observations

One process serves many scenarios (and the reducer's many small runs), so a few process starts cover hundreds of
scenarios. Self-contained on purpose: the real packages' interpreters run this file with nothing of ours on the path.
2.x scenarios import `lightning.pytorch`, 1.x scenarios `pytorch_lightning`.
"""
from __future__ import annotations

import contextlib
import csv
import io
import json
import logging
import math
import os
import sys
import tempfile
import traceback
import warnings

import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, IterableDataset, TensorDataset

BATCH = 4
CALLBACK_HOOKS = (
    "setup", "on_fit_start", "on_sanity_check_start", "on_sanity_check_end", "on_train_start",
    "on_train_epoch_start", "on_train_batch_start", "on_before_backward", "on_after_backward",
    "on_before_optimizer_step", "on_before_zero_grad", "on_train_batch_end", "on_train_epoch_end",
    "on_validation_start", "on_validation_epoch_start", "on_validation_batch_start", "on_validation_batch_end",
    "on_validation_epoch_end", "on_validation_end", "on_save_checkpoint", "on_load_checkpoint", "on_train_end",
    "on_fit_end", "teardown", "on_exception",
)


class Interrupted(Exception):
    """Raised by the scenario's interrupter after it saved its checkpoint."""


def _namespace(api: str):
    if api == "1.x":
        import pytorch_lightning as pl
    else:
        import lightning.pytorch as pl
    return pl


def _data(s: dict, seed: int, batches: int):
    g = torch.Generator().manual_seed(seed)
    n = batches * BATCH - (1 if s["partial_batch"] else 0)
    x = torch.randn(n, 4, generator=g)
    y = x @ torch.tensor([[1.0], [-2.0], [0.5], [0.25]]) + 0.1 * torch.randn(n, 1, generator=g)
    return x, y


class _Stream(IterableDataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __iter__(self):
        return iter(zip(self.x, self.y))


def _train_loader(s: dict):
    x, y = _data(s, s["seed"], s["train_batches"])
    if s["iterable"]:
        return DataLoader(_Stream(x, y), batch_size=BATCH)
    generator = torch.Generator().manual_seed(s["seed"] + 7) if s["shuffle"] == "generator" else None
    return DataLoader(TensorDataset(x, y), batch_size=BATCH, shuffle=s["shuffle"] != "none", generator=generator)


def _val_loaders(s: dict):
    loaders = [DataLoader(TensorDataset(*_data(s, s["seed"] + 100 + i, 2 + i)), batch_size=BATCH)
               for i in range(s["val_loaders"])]
    return loaders[0] if len(loaders) == 1 else loaders


def _monitor(s: dict) -> str:
    return {0: "fit_loss", 1: "val_loss", 2: "val_loss/dataloader_idx_0"}[s["val_loaders"]]


def _module_class(pl, s: dict):
    import torchmetrics

    on_step, on_epoch = {"step": (True, False), "epoch": (False, True), "both": (True, True)}[s["train_log"]]

    class Model(pl.LightningModule):
        def __init__(self):
            super().__init__()
            layers = [nn.Linear(4, 8), nn.Tanh()] + ([nn.Dropout(0.2)] if s["dropout"] else []) + [nn.Linear(8, 1)]
            self.net = nn.Sequential(*layers)
            if s["manual"]:
                self.automatic_optimization = False
            if s["torchmetric"]:
                self.train_mae = torchmetrics.MeanAbsoluteError()
                self.val_mae = torchmetrics.MeanAbsoluteError()
            if s["metric_collection"]:
                self.val_metrics = torchmetrics.MetricCollection(
                    {"mse": torchmetrics.MeanSquaredError(), "mae": torchmetrics.MeanAbsoluteError()}, prefix="coll_")

        def forward(self, x):
            return self.net(x)

        def _loss(self, batch):
            x, y = batch
            out = self(x)
            return out, F.mse_loss(out.float(), y.float())

        def training_step(self, batch, batch_idx):
            out, loss = self._loss(batch)
            self.log("train_loss", loss, on_step=on_step, on_epoch=on_epoch, prog_bar=s["prog_bar"],
                     sync_dist=s["sync_dist"])
            self.log("fit_loss", loss, on_step=False, on_epoch=True)
            if s["log_dict"]:
                self.log_dict({"twice_loss": 2 * loss, "x_mean": batch[0].float().mean()}, on_step=True,
                              on_epoch=True, prog_bar=s["prog_bar"])
            if s["torchmetric"]:
                self.train_mae(out.float(), batch[1].float())
                self.log("train_mae", self.train_mae, on_step=True, on_epoch=True)
            if s["manual"]:
                opt = self.optimizers()
                opt.zero_grad()
                self.manual_backward(loss)
                if s["gradient_clip"]:
                    self.clip_gradients(opt, gradient_clip_val=0.5 if s["gradient_clip"] == "norm" else 0.05,
                                        gradient_clip_algorithm=s["gradient_clip"])
                opt.step()
                if s["scheduler"] == "step_step":
                    self._schedulers()[0].step()
                return None
            return loss

        def _schedulers(self):
            found = self.lr_schedulers()
            return [] if found is None else found if isinstance(found, list) else [found]

        def on_train_epoch_end(self):
            if s["epoch_end_log"]:
                self.log("epoch_end_weight", self.net[0].weight.detach().float().sum())
            if s["manual"] and s["scheduler"] not in (None, "step_step"):
                for scheduler in self._schedulers():
                    if isinstance(scheduler, torch.optim.lr_scheduler.ReduceLROnPlateau):
                        scheduler.step(self.trainer.callback_metrics["fit_loss"])
                    else:
                        scheduler.step()

        def validation_step(self, batch, batch_idx, dataloader_idx=0):
            out, loss = self._loss(batch)
            self.log("val_loss", loss, prog_bar=s["prog_bar"], sync_dist=s["sync_dist"])
            if s["torchmetric"]:
                self.val_mae.update(out.float(), batch[1].float())
                self.log("val_mae", self.val_mae)
            if s["metric_collection"]:
                self.val_metrics.update(out.float(), batch[1].float())
                self.log_dict(self.val_metrics)
            return loss

        def on_validation_epoch_end(self):
            if s["epoch_end_log"]:
                self.log("val_epoch_end", self.net[2 if not s["dropout"] else 3].bias.detach().float().sum() + 1)

        def configure_optimizers(self):
            if s["optimizer"] == "adam":
                opt = torch.optim.Adam(self.parameters(), lr=0.01)
            else:
                opt = torch.optim.SGD(self.parameters(), lr=0.05, momentum=0.5)
            kind = s["scheduler"]
            if kind is None:
                return opt
            if kind == "step_epoch":
                return [opt], [torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)]
            if kind == "step_step":
                return {"optimizer": opt, "lr_scheduler": {
                    "scheduler": torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.7), "interval": "step"}}
            if kind == "two":
                return [opt], [torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5),
                               torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)]
            return {"optimizer": opt, "lr_scheduler": {
                "scheduler": torch.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=0, factor=0.5),
                "monitor": "fit_loss"}}

    return Model


def _datamodule(pl, s: dict):
    class Data(pl.LightningDataModule):
        def train_dataloader(self):
            return _train_loader(s)

        def val_dataloader(self):
            return _val_loaders(s)

    return Data()


def _recorder_class(pl, record: list):
    """A callback that overrides every hook with a generic signature and records name and global step."""

    def make(name):
        def hook(self, trainer, *args, **kwargs):
            record.append(f"{name}:{trainer.global_step}")

        hook.__name__ = name
        return hook

    return type("Recorder", (pl.Callback,), {name: make(name) for name in CALLBACK_HOOKS})


def _interrupter_class(pl, s: dict, path: str):
    def interrupt(self, trainer, *args, **kwargs):
        if trainer.global_step == s["interrupt_at"]:
            trainer.save_checkpoint(path)
            raise Interrupted

    # on_train_batch_end of the batch that made step `interrupt_at` (where ModelCheckpoint saves), or
    # on_train_batch_start of the batch after it
    hook = "on_train_batch_end" if s["interrupt_hook"] == "batch_end" else "on_train_batch_start"
    return type("Interrupter", (pl.Callback,), {hook: interrupt})


def _callbacks(pl, s: dict, record: list, interrupt_path: str | None):
    callbacks = [_recorder_class(pl, record)()]
    kind, monitor = s["checkpoint"], _monitor(s)
    if kind == "top2":
        callbacks.append(pl.callbacks.ModelCheckpoint(monitor=monitor, save_top_k=2, mode="min"))
    elif kind == "every_n_steps":
        callbacks.append(pl.callbacks.ModelCheckpoint(every_n_train_steps=2, save_top_k=-1))
    elif kind == "last":
        callbacks.append(pl.callbacks.ModelCheckpoint(monitor=monitor, save_last=True))
    elif kind == "filename":
        callbacks.append(pl.callbacks.ModelCheckpoint(filename="{epoch}-{fit_loss:.3f}", monitor="fit_loss"))
    if s["early_stopping"]:
        callbacks.append(pl.callbacks.EarlyStopping(monitor=monitor, patience=1, min_delta=0.001))
    if s["lr_monitor"]:
        callbacks.append(pl.callbacks.LearningRateMonitor(logging_interval="step"))
    if interrupt_path:
        callbacks.append(_interrupter_class(pl, s, interrupt_path)())
    return callbacks


def _logger(pl, s: dict, root: str):
    kind = s["logger"]
    if kind == "none":
        return False
    loggers = []
    if kind in ("csv", "both"):
        loggers.append(pl.loggers.CSVLogger(root, name="csv"))
    if kind in ("tensorboard", "both"):
        loggers.append(pl.loggers.TensorBoardLogger(root, name="tb"))
    return loggers


def _precision(s: dict):
    if s["api"] == "1.x":
        return {"32": 32, "64": 64, "bf16-mixed": "bf16"}[s["precision"]]
    return s["precision"]


def _trainer(pl, s: dict, root: str, record: list, interrupt_path: str | None):
    args = dict(
        default_root_dir=root, accelerator="cpu", devices=1, max_epochs=s["max_epochs"], max_steps=s["max_steps"],
        precision=_precision(s), logger=_logger(pl, s, root), callbacks=_callbacks(pl, s, record, interrupt_path),
        enable_progress_bar=False, enable_model_summary=False, enable_checkpointing=s["checkpoint"] != "off",
        log_every_n_steps=s["log_every_n_steps"], num_sanity_val_steps=s["num_sanity_val_steps"],
        accumulate_grad_batches=s["accumulate_grad_batches"], check_val_every_n_epoch=s["check_val_every_n_epoch"],
    )
    for name in ("limit_train_batches", "limit_val_batches", "val_check_interval"):
        if s[name] is not None:
            args[name] = s[name]
    if s["gradient_clip"] and not s["manual"]:
        args["gradient_clip_val"] = 0.5 if s["gradient_clip"] == "norm" else 0.05
        args["gradient_clip_algorithm"] = s["gradient_clip"]
    return pl.Trainer(**args)


def _fit(pl, s: dict, root: str, record: list, interrupt_path: str | None = None, ckpt_path: str | None = None):
    pl.seed_everything(s["seed"])
    model = _module_class(pl, s)()
    trainer = _trainer(pl, s, root, record, interrupt_path)
    if s["datamodule"]:
        trainer.fit(model, datamodule=_datamodule(pl, s), ckpt_path=ckpt_path)
    else:
        val = _val_loaders(s) if s["val_loaders"] else None
        trainer.fit(model, train_dataloaders=_train_loader(s), val_dataloaders=val, ckpt_path=ckpt_path)
    return trainer, model


# ---------------------------------------------------------------- observations: plain JSON, floats as floats


def _plain(value, root: str):
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu()
        if value.is_floating_point():
            value = value.double()
        return value.item() if value.numel() == 1 else value.flatten().tolist()
    if isinstance(value, dict):
        return {_relative(str(k), root): _plain(v, root) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, root) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    if isinstance(value, (bool, int, float)) or value is None:
        return value
    if isinstance(value, str):
        return _relative(value, root)
    return type(value).__name__


def _relative(text: str, root: str) -> str:
    return text.replace(root + os.sep, "").replace(root, "<root>")


def _files(root: str) -> list[str]:
    out = []
    for dirpath, _, files in os.walk(root):
        for f in files:
            name = "events.out.tfevents.*" if f.startswith("events.out.tfevents.") else f
            out.append(os.path.relpath(os.path.join(dirpath, name), root))
    return sorted(out)


# checkpoint entries compared beside state_dict; the rest (versions, hparams, our RNG snapshots) are not behaviour
CHECKPOINT_KEYS = ("epoch", "global_step", "state_dict", "loops", "callbacks", "optimizer_states", "lr_schedulers")


def _checkpoint(path: str, root: str) -> dict:
    # a file this run just wrote into its own temporary folder, so a full load is safe here
    ckpt = torch.load(path, map_location="cpu", weights_only=False)
    return {key: _plain(ckpt[key], root) for key in CHECKPOINT_KEYS if key in ckpt}


def _csv_rows(root: str) -> list[dict]:
    path = os.path.join(root, "csv", "version_0", "metrics.csv")
    if not os.path.exists(path):
        return []
    with open(path, newline="") as fh:
        return [{k: _number(v) for k, v in row.items() if v != ""} for row in csv.DictReader(fh)]


def _number(text: str):
    try:
        return int(text)
    except ValueError:
        return float(text)


def _tensorboard_scalars(root: str) -> dict:
    folder = os.path.join(root, "tb", "version_0")
    if not os.path.isdir(folder):
        return {}
    from tensorboard.backend.event_processing.event_file_loader import EventFileLoader
    from tensorboard.util import tensor_util

    scalars: dict[str, list] = {}
    for name in sorted(os.listdir(folder)):
        if not name.startswith("events.out.tfevents."):
            continue
        for event in EventFileLoader(os.path.join(folder, name)).Load():
            for value in event.summary.value:
                if value.HasField("simple_value"):
                    number = value.simple_value
                elif value.HasField("tensor") and value.metadata.plugin_data.plugin_name == "scalars":
                    number = float(tensor_util.make_ndarray(value.tensor))
                else:
                    continue
                scalars.setdefault(value.tag, []).append([event.step, number])
    return scalars


def _metric_dicts(trainer, root: str) -> dict:
    return {name: _plain(dict(getattr(trainer, name)), root)
            for name in ("callback_metrics", "logged_metrics", "progress_bar_metrics")}


def run_scenario(s: dict) -> dict:
    """What the run shows; an interrupted scenario also holds the observation of the same run uninterrupted."""
    pl = _namespace(s["api"])
    record: list[str] = []
    obs: dict = {}
    if s["interrupt_at"] is not None:
        obs["uninterrupted"] = run_scenario({**s, "interrupt_at": None})
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.realpath(tmp)
        trainer = model = None
        try:
            if s["interrupt_at"] is not None:
                interrupt = os.path.join(root, "interrupted.ckpt")
                try:
                    _fit(pl, s, root, record, interrupt_path=interrupt)
                    obs["interrupted"] = False
                except Interrupted:
                    obs["interrupted"] = True
                record.append("--- resume")
                trainer, model = _fit(pl, s, root, record, ckpt_path=interrupt)
            else:
                trainer, model = _fit(pl, s, root, record)
            obs["error"] = None
        except Exception as err:  # the same configuration error on both sides is agreement
            obs["error"] = type(err).__name__
            obs["error_detail"] = "".join(traceback.format_exception_only(type(err), err)).strip()[-300:]
        obs["hooks"] = record
        if trainer is not None:
            obs.update(_metric_dicts(trainer, root))
            obs["global_step"] = trainer.global_step
            obs["current_epoch"] = trainer.current_epoch
            obs["weights"] = _plain(model.state_dict(), root)
            ckpt_cb = trainer.checkpoint_callback
            if ckpt_cb is not None:
                obs["best_model_path"] = _relative(ckpt_cb.best_model_path, root)
                obs["best_model_score"] = _plain(ckpt_cb.best_model_score, root)
        obs["files"] = _files(root)
        obs["csv"] = _csv_rows(root)
        obs["tensorboard"] = _tensorboard_scalars(root)
        obs["checkpoints"] = {
            rel: _checkpoint(os.path.join(root, rel), root) for rel in obs["files"] if rel.endswith(".ckpt")}
    return obs


def _quiet() -> None:
    warnings.simplefilter("ignore")
    for name in ("lightning.pytorch", "lightning.fabric", "pytorch_lightning", "lightning_fabric", "lightning"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    torch.set_num_threads(1)


def serve() -> None:
    _quiet()
    out = sys.stdout
    for line in sys.stdin:
        scenarios = json.loads(line)
        results = []
        for s in scenarios:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                try:
                    results.append(run_scenario(s))
                except Exception:  # a harness failure is reported, not hidden: it compares as its own error
                    results.append({"harness_error": traceback.format_exc()[-2000:]})
        out.write(json.dumps(results) + "\n")
        out.flush()


if __name__ == "__main__":
    serve()
