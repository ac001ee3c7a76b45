"""Seeded scenarios: a scenario is a JSON-able dict of features (FEATURES) that runner.py turns into a
LightningModule, its data and a Trainer configuration.

Every feature has an "off" value (the first choice); `generate(seed)` switches a random subset on and
`normalize` repairs combinations a user could not write (it only ever turns features back off), so the
reducer can drop features one by one and always get a valid scenario back.
"""
from __future__ import annotations

import random

# name -> choices; choices[0] is the value meaning "feature not used"
FEATURES: dict[str, list] = {
    # logging
    "train_log": ["step", "epoch", "both"],  # on_step / on_epoch of self.log("train_loss")
    "prog_bar": [False, True],
    "log_dict": [False, True],
    "torchmetric": [False, True],  # a torchmetrics object updated in the steps and logged as the object
    "metric_collection": [False, True],  # log_dict of a MetricCollection in validation_step
    "epoch_end_log": [False, True],  # values logged in on_train_epoch_end / on_validation_epoch_end
    "sync_dist": [False, True],
    "log_every_n_steps": [50, 1, 2],
    "logger": ["none", "csv", "tensorboard", "both"],
    # data
    "datamodule": [False, True],
    "train_batches": [4, 3, 5],
    "partial_batch": [False, True],  # the last training batch is smaller
    "shuffle": ["none", "plain", "generator"],
    "iterable": [False, True],
    "val_loaders": [1, 0, 2],
    "limit_train_batches": [None, 2, 0.5],
    "limit_val_batches": [None, 1, 0.5],
    "val_check_interval": [None, 2, 0.5],
    "check_val_every_n_epoch": [1, 2],
    "num_sanity_val_steps": [2, 0, 1],
    "max_epochs": [2, 1, 3],
    "max_steps": [-1, 5],
    # optimization
    "optimizer": ["sgd", "adam"],
    "dropout": [False, True],
    "accumulate_grad_batches": [1, 2, 3],
    "gradient_clip": [None, "norm", "value"],
    "scheduler": [None, "step_epoch", "step_step", "two", "plateau"],
    "manual": [False, True],
    # callbacks
    "checkpoint": ["off", "default", "top2", "every_n_steps", "last", "filename"],
    "early_stopping": [False, True],
    "lr_monitor": [False, True],
    # precision
    "precision": ["32", "64", "bf16-mixed"],
    # interruption: save a checkpoint at this global step, stop, resume with fit(ckpt_path=...); the save happens
    # in on_train_batch_end (as ModelCheckpoint's) or in the next batch's on_train_batch_start
    "interrupt_at": [None, 1, 2, 3, 4, 6],
    "interrupt_hook": ["batch_end", "batch_start"],
}
OFF = {name: choices[0] for name, choices in FEATURES.items()}


def normalize(s: dict) -> dict:
    """The nearest valid scenario: turn off what the combination does not allow (never turn anything on)."""
    s = dict(s)
    if s["iterable"]:  # an IterableDataset has no sampler to shuffle and no length to take a fraction of
        s["shuffle"] = "none"
        if isinstance(s["limit_train_batches"], float):
            s["limit_train_batches"] = None
        if isinstance(s["val_check_interval"], float):
            s["val_check_interval"] = None
    if s["manual"]:  # the Trainer refuses these with manual optimization; the step does its own clipping
        s["accumulate_grad_batches"] = 1
    if s["val_loaders"] == 0:
        for name in ("limit_val_batches", "val_check_interval", "check_val_every_n_epoch", "num_sanity_val_steps",
                     "metric_collection"):
            s[name] = OFF[name]
    if isinstance(s["val_check_interval"], int) and s["val_check_interval"] > _train_batches(s):
        s["val_check_interval"] = None  # more batches than an epoch has: a configuration error in both
    if s["val_check_interval"] is not None:
        s["check_val_every_n_epoch"] = 1
    if s["logger"] == "none":
        s["lr_monitor"] = False
    if s["interrupt_at"] is not None and s["interrupt_at"] >= _total_steps(s):
        s["interrupt_at"] = None  # the run would end before the interruption
    if s["interrupt_at"] is not None and s["api"] == "1.x":
        # docs/legacy.md "Known differences": 1.9.5 restarts the epoch's hooks and replays the batch it saved in
        s["interrupt_at"] = None
    if s["interrupt_at"] is not None and s["iterable"]:
        # docs/coverage.md "Resuming inside an epoch": 2.6.6 replays a whole stream, we continue it
        s["interrupt_at"] = None
    if s["interrupt_at"] is not None and s["interrupt_hook"] == "batch_end" and _work_pending(s):
        # docs/coverage.md "Resuming inside an epoch": we run the validation / epoch end still due after the
        # saving batch; 2.6.6 skips it
        s["interrupt_at"] = None
    steered_by_train_epoch_value = s["scheduler"] == "plateau" or (s["early_stopping"] and not s["val_loaders"])
    if s["interrupt_at"] is not None and steered_by_train_epoch_value:
        # docs/coverage.md "Resuming inside an epoch": the epoch's training aggregates logged before the save are not
        # in the checkpoint, so a plateau scheduler / early stopping watching one may decide otherwise after a resume
        s["interrupt_at"] = None
    if s["interrupt_at"] is None:
        s["interrupt_hook"] = OFF["interrupt_hook"]
    if s["interrupt_hook"] == "batch_start":
        # docs/coverage.md "Resuming inside an epoch": 2.6.6 adds one to the step count the loggers use (and the
        # checkpoints hold) when it resumes from a save made outside on_train_batch_end; we keep the count
        s["logger"], s["lr_monitor"], s["checkpoint"] = OFF["logger"], OFF["lr_monitor"], OFF["checkpoint"]
    if s["api"] == "1.x" and _validates_inside_accumulation(s):
        # docs/legacy.md "Known differences": 1.9.5 zeroed the gradients accumulated so far when validation began
        s["val_check_interval"] = None
    return s


def _train_batches(s: dict) -> int:
    n = s["train_batches"]
    limit = s["limit_train_batches"]
    if isinstance(limit, int):
        n = min(n, limit)
    elif isinstance(limit, float):
        n = int(n * limit)
    return n


def _val_every(s: dict):
    interval = s["val_check_interval"]
    if not s["val_loaders"] or interval is None:
        return None
    return max(1, int(_train_batches(s) * interval)) if isinstance(interval, float) else interval


def _validates_inside_accumulation(s: dict) -> bool:
    n, a, every = _train_batches(s), s["accumulate_grad_batches"], _val_every(s)
    return bool(every) and a > 1 and any((b + 1) % every == 0 and (b + 1) % a != 0 and b != n - 1 for b in range(n))


def _work_pending(s: dict) -> bool:
    """Whether the batch that makes optimizer step `interrupt_at` is followed by a validation or an epoch end."""
    n, a, steps, val_every = _train_batches(s), s["accumulate_grad_batches"], 0, _val_every(s)
    for _ in range(s["max_epochs"]):
        for b in range(n):
            if (b + 1) % a == 0 or b == n - 1:
                steps += 1
                if steps == s["interrupt_at"]:
                    return b == n - 1 or bool(val_every and (b + 1) % val_every == 0)
    return False


def _total_steps(s: dict) -> int:
    steps = _train_batches(s) * s["max_epochs"] // s["accumulate_grad_batches"]
    return min(steps, s["max_steps"]) if s["max_steps"] > 0 else steps


def generate(seed: int, api: str = "2.x") -> dict:
    """The scenario of `seed`: each feature is switched on with probability ~1/3, to one of its choices."""
    rng = random.Random(f"{api}:{seed}")
    s = {"seed": seed, "api": api}
    for name, choices in FEATURES.items():
        s[name] = rng.choice(choices[1:]) if rng.random() < 0.35 else choices[0]
    return normalize(s)


def features_on(s: dict) -> list[str]:
    return [name for name in FEATURES if s[name] != OFF[name]]


def without(s: dict, name: str) -> dict:
    return normalize({**s, name: OFF[name]})


def describe(s: dict) -> str:
    on = ", ".join(f"{name}={s[name]!r}" for name in features_on(s)) or "all features off"
    return f"seed={s['seed']} api={s['api']}: {on}"
