"""Callback behaviours measured through their public surface, identically for any Lightning implementation.

`run_all(ns)` takes a namespace with `callbacks` (ModelCheckpoint, EarlyStopping, LearningRateMonitor, Timer,
GradientAccumulationScheduler) and returns JSON-able results. Run with the real package to write the reference:

    .ref/l2/bin/python tests/checkpointing/reference/callback_scenarios.py   # writes lightning-2.6.6.json

and tests/checkpointing/test_callback_reference.py runs the same scenarios against this project.
"""
from __future__ import annotations

import json
import sys
import types
from datetime import timedelta
from pathlib import Path

import torch

FORMAT_CASES = [
    # (filename template, metrics, auto_insert_metric_name, ver, prefix)
    (None, {"epoch": 3, "step": 17}, True, None, None),
    ("{epoch}", {"epoch": 0}, True, None, None),
    ("{epoch:03d}", {"epoch": 5}, True, None, None),
    ("{epoch}-{val_loss:.2f}", {"epoch": 2, "val_loss": 0.123456}, True, None, None),
    ("epoch={epoch}-validation_loss={val_loss:.2f}", {"epoch": 2, "val_loss": 0.123456}, False, None, None),
    ("{missing:d}", {}, True, None, None),
    ("{epoch}-{epoch_loss:.3f}", {"epoch": 1, "epoch_loss": 0.5}, True, None, None),
    ("{val/loss:.2f}", {"val/loss": 0.25}, True, None, None),
    ("{step}", {"step": 7}, True, 2, None),
    ("model", {}, True, 1, None),
    ("{epoch}", {"epoch": 4}, True, None, "pre"),
    ("{val_acc:.4f}_{epoch}", {"val_acc": 0.98765, "epoch": 9}, True, None, None),
]

STATE_KEY_CASES = [
    {},
    {"monitor": "val_loss"},
    {"monitor": "val_acc", "mode": "max", "save_top_k": 3},
    {"every_n_train_steps": 5},
    {"train_time_interval": timedelta(minutes=1)},
    {"every_n_epochs": 2, "save_on_train_epoch_end": True},
]

BAD_CHECKPOINT_ARGS = [
    {"save_top_k": -2},
    {"every_n_train_steps": -1},
    {"every_n_epochs": -1},
    {"every_n_train_steps": 2, "every_n_epochs": 2},
    {"save_top_k": 2},
    {"mode": "median"},
]

EARLY_STOPPING_CASES = [
    ({"monitor": "loss"}, [1.0, 0.9, 0.95, 0.95, 0.96]),
    ({"monitor": "loss", "patience": 1, "min_delta": 0.1}, [1.0, 0.95, 0.8]),
    ({"monitor": "acc", "mode": "max", "patience": 2}, [0.1, 0.2, 0.2, 0.15]),
    ({"monitor": "loss", "stopping_threshold": 0.5}, [1.0, 0.7, 0.4]),
    ({"monitor": "loss", "divergence_threshold": 3.0}, [1.0, 2.0, 3.5]),
    ({"monitor": "loss"}, [1.0, float("nan")]),
    ({"monitor": "loss", "check_finite": False, "patience": 5}, [1.0, float("inf"), 0.5]),
]


class _Strategy:
    root_device = torch.device("cpu")

    def reduce_boolean_decision(self, decision, all=True):
        return decision

    def broadcast(self, obj, src=0):
        return obj


class _Optimizer:
    pass


def _trainer(**attrs):
    trainer = types.SimpleNamespace(
        strategy=_Strategy(), callback_metrics={}, fast_dev_run=False, should_stop=False, current_epoch=0,
        global_rank=0, world_size=1, loggers=[object()], lr_scheduler_configs=[], optimizers=[],
    )
    trainer.__dict__.update(attrs)
    return trainer


def format_names(ns):
    out = []
    for template, metrics, auto, ver, prefix in FORMAT_CASES:
        cb = ns.callbacks.ModelCheckpoint(filename=template, auto_insert_metric_name=auto)
        tensors = {k: torch.tensor(v) for k, v in metrics.items()}
        out.append(cb.format_checkpoint_name(tensors, ver=ver, prefix=prefix))
    return out


def state_keys(ns):
    return [ns.callbacks.ModelCheckpoint(**kwargs).state_key for kwargs in STATE_KEY_CASES]


def bad_arguments(ns):
    out = []
    for kwargs in BAD_CHECKPOINT_ARGS:
        try:
            ns.callbacks.ModelCheckpoint(**kwargs)
            out.append(None)
        except Exception as err:  # the exception class is the behaviour compared
            out.append(type(err).__name__)
    return out


def early_stopping(ns):
    results = []
    for kwargs, values in EARLY_STOPPING_CASES:
        cb = ns.callbacks.EarlyStopping(**kwargs)
        trainer = _trainer()
        trace = []
        for epoch, value in enumerate(values):
            trainer.current_epoch = epoch
            trainer.callback_metrics = {kwargs["monitor"]: torch.tensor(value)}
            cb._run_early_stopping_check(trainer)
            state = cb.state_dict()
            trace.append({
                "should_stop": trainer.should_stop,
                "wait_count": state["wait_count"],
                "stopped_epoch": state["stopped_epoch"],
                "best_score": float(state["best_score"]),
                "stopping_reason": state.get("stopping_reason"),
            })
        results.append({"state_key": cb.state_key, "trace": trace})
    return results


def _lr_config(scheduler, name=None, interval="epoch"):
    return types.SimpleNamespace(scheduler=scheduler, name=name, interval=interval, frequency=1)


def lr_monitor_names(ns):
    def params(n=1):
        return [torch.nn.Parameter(torch.zeros(1)) for _ in range(n)]

    adam_a = torch.optim.Adam(params(), lr=0.1)
    adam_b = torch.optim.Adam(params(), lr=0.2)
    sgd_groups = torch.optim.SGD([{"params": params()}, {"params": params(), "lr": 0.01}], lr=0.1, momentum=0.9)
    named = torch.optim.SGD([{"params": params(), "name": "head"}, {"params": params(), "name": "body"}], lr=0.1)
    single_named = torch.optim.AdamW([{"params": params(), "name": "only"}], lr=0.3)
    setups = {
        "two_adams_one_scheduled": ([adam_a, adam_b], [_lr_config(torch.optim.lr_scheduler.StepLR(adam_a, 1))]),
        "named_scheduler": ([adam_a], [_lr_config(torch.optim.lr_scheduler.StepLR(adam_a, 1), name="my-lr")]),
        "param_groups": ([sgd_groups, named, single_named], []),
    }
    out = {}
    for key, (optimizers, configs) in setups.items():
        cb = ns.callbacks.LearningRateMonitor(log_momentum=True, log_weight_decay=True)
        trainer = _trainer(optimizers=optimizers, lr_scheduler_configs=configs)
        cb.on_train_start(trainer, None)
        stats = cb._extract_stats(trainer, "any")
        out[key] = {"names": list(cb.lrs), "stats": {k: round(float(v), 6) for k, v in stats.items()}}
    return out


def accumulation(ns):
    cb = ns.callbacks.GradientAccumulationScheduler({2: 4, 5: 2})
    return {"factors": [cb.get_accumulate_grad_batches(e) for e in range(8)],
            "accumulating": cb.going_to_accumulate_grad_batches()}


def timer(ns):
    out = []
    for duration in ("00:01:02:03", {"minutes": 5}, timedelta(seconds=30), None):
        cb = ns.callbacks.Timer(duration=duration)
        out.append(cb.time_remaining())
    return out


def run_all(ns):
    return {
        "format_checkpoint_name": format_names(ns),
        "state_key": state_keys(ns),
        "bad_arguments": bad_arguments(ns),
        "early_stopping": early_stopping(ns),
        "lr_monitor": lr_monitor_names(ns),
        "accumulation": accumulation(ns),
        "timer_remaining": timer(ns),
    }


if __name__ == "__main__":
    import logging
    import warnings

    import lightning
    import lightning.pytorch as ns

    warnings.simplefilter("ignore")
    logging.disable(logging.CRITICAL)
    result = run_all(ns)
    out = Path(__file__).with_name(f"lightning-{lightning.__version__}.json")
    out.write_text(json.dumps({"generator": "tests/checkpointing/reference/callback_scenarios.py", **result},
                              indent=1, allow_nan=True) + "\n")
    print(f"wrote {out}", file=sys.stderr)
