"""Edge cases of ``self.log`` run unchanged under the real lightning 2.6.6 and under ours (see
test_logging_vs_real.py): for each probe, the error raised (its type), whether a warning with the given key phrase
appeared, and the callback metrics with their dtype and whether they carry a graph.

`python logging_probes.py OUT.json` (logging_scenarios.py runs them too, in the same interpreter)
"""
import json
import sys
import warnings

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

import lightning as L
import torchmetrics

PROBES = {}


def probe(hook, phrase=None, **trainer_kwargs):
    """Register a probe: `hook(module)` runs inside `training_step` unless it names another hook."""

    def register(fn):
        PROBES[fn.__name__] = (hook, fn, phrase, trainer_kwargs)
        return fn

    return register


@probe("training_step", phrase="needs to be floating")
def int_value(m):
    m.log("int_value", 3)


@probe("training_step", phrase="needs to be floating")
def int_tensor(m):
    m.log("int_tensor", torch.tensor(4), on_epoch=True)


@probe("training_step")
def bool_value(m):
    m.log("bool_value", True)


@probe("training_step")
def half_tensor(m):
    m.log("half_tensor", torch.tensor(0.1, dtype=torch.float16), on_epoch=True)


@probe("training_step")
def graph(m):
    m.log("graph", (m.layer.weight ** 2).sum(), enable_graph=True, on_epoch=True)


@probe("training_step", phrase="but have no logger configured", logger=False)
def logger_true_without_logger(m):
    m.log("logged", 1.0, logger=True)


@probe("training_step", phrase="`Trainer(barebones=True)` is configured", barebones=True)
def barebones(m):
    m.log("barebones", 1.0)


@probe("lr_scheduler_step")
def in_lr_scheduler_step(m):
    m.log("sched", 1.0)


@probe("on_train_epoch_start")
def on_step_in_epoch_start(m):
    m.log("epoch_start", 1.0, on_step=True)


@probe("on_train_epoch_start")
def epoch_start_default(m):
    m.log("epoch_start", 2.0)


@probe("training_step", phrase=None)
def metric_not_an_attribute(m):
    metric = torchmetrics.MeanMetric()
    metric.update(torch.tensor(1.0))
    m.log("orphan", metric)


@probe("training_step")
def dataloader_idx_in_name(m):
    m.log("x/dataloader_idx_0", 1.0)


@probe("training_step")
def dataloader_idx_in_name_allowed(m):
    m.log("x/dataloader_idx_0", 1.0, add_dataloader_idx=False)


@probe("training_step")
def options_change_between_calls(m):
    m.log("changing", 1.0, on_epoch=m.global_step % 2 == 0)


@probe("training_step")
def nested_dict(m):
    m.log("nested", {"a": 1.0})


@probe("training_step")
def vector(m):
    m.log("vector", torch.ones(2))


@probe("training_step")
def log_dict_mixed(m):
    m.log_dict({"a": 1.0, "b": torch.tensor(2.0), "c": m.mean}, on_epoch=True)


@probe("training_step")
def reduce_fx_callable_max(m):
    m.log("rmax", float(m.global_step), reduce_fx=max, on_step=False, on_epoch=True)


@probe("training_step")
def reduce_fx_avg(m):
    m.log("ravg", float(m.global_step), reduce_fx="avg", on_step=False, on_epoch=True)


@probe("training_step")
def reduce_fx_median(m):
    m.log("rmedian", 1.0, reduce_fx=torch.median, on_epoch=True)


@probe("training_step")
def neither_step_nor_epoch(m):
    m.log("nowhere", 1.0, on_step=False, on_epoch=False)


@probe("on_train_start")
def train_start_on_step(m):
    m.log("train_start", 1.0, on_step=True)


@probe("training_step", phrase="when logging on epoch level in distributed setting")
def distributed_epoch_level_without_sync(m):  # run with a one-process gloo group initialized
    m.log("unsynced", 1.0, on_epoch=True)


class PairMetric(torchmetrics.Metric):
    """forward and compute return a pair of tensors, which cannot be logged as one value."""

    def update(self):
        pass

    def compute(self):
        return torch.tensor(1.0), torch.tensor(2.0)


def _log_pair(m, **options):
    if not hasattr(m, "pair"):
        m.pair = PairMetric()
    m.pair()
    m.log("pair", m.pair, **options)


@probe("on_train_start")
def metric_compute_not_a_tensor(m):
    _log_pair(m)


@probe("training_step")
def metric_forward_not_a_tensor_on_step(m):
    _log_pair(m, on_step=True, on_epoch=False)


@probe("training_step")
def metric_forward_not_a_tensor_epoch_only(m):
    _log_pair(m, on_step=False, on_epoch=True)


class Probe(L.LightningModule):
    def __init__(self, hook, body):
        super().__init__()
        self.layer = nn.Linear(2, 1)
        self.mean = torchmetrics.MeanMetric()
        self.hook, self.body = hook, body

    def training_step(self, batch, batch_idx):
        self.mean.update(batch[0].sum())
        if self.hook == "training_step":
            self.body(self)
        return self.layer(batch[0]).sum()

    def on_train_start(self):
        if self.hook == "on_train_start":
            self.body(self)

    def on_train_epoch_start(self):
        if self.hook == "on_train_epoch_start":
            self.body(self)

    def lr_scheduler_step(self, scheduler, metric):
        if self.hook == "lr_scheduler_step":
            self.body(self)
        scheduler.step()

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.parameters(), lr=0.1)
        return {"optimizer": optimizer, "lr_scheduler": torch.optim.lr_scheduler.StepLR(optimizer, 1)}


def run(name):
    hook, body, phrase, trainer_kwargs = PROBES[name]
    torch.manual_seed(0)
    data = DataLoader(TensorDataset(torch.randn(6, 2)), batch_size=2)
    options = dict(max_epochs=1, enable_progress_bar=False, enable_model_summary=False, enable_checkpointing=False,
                   logger=False, accelerator="cpu", devices=1)
    options.update(trainer_kwargs)
    if options.get("barebones"):
        del options["enable_checkpointing"], options["enable_progress_bar"], options["enable_model_summary"]
    trainer = L.Trainer(**options)
    error = None
    if name.startswith("distributed_"):
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        torch.distributed.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=0, world_size=1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            trainer.fit(Probe(hook, body), data)
        except Exception as e:  # the type is what is compared
            error = type(e).__name__
    if torch.distributed.is_initialized():
        torch.distributed.destroy_process_group()
    metrics = {k: [float(v), str(v.dtype), bool(v.requires_grad)] for k, v in trainer.callback_metrics.items()}
    return {"error": error, "metrics": metrics,
            "warned": None if phrase is None else any(phrase in str(w.message) for w in caught)}


if __name__ == "__main__":
    with open(sys.argv[1], "w") as f:
        json.dump({name: run(name) for name in PROBES}, f, indent=1, sort_keys=True)
