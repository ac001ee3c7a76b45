"""Seeded logging scenarios run unchanged under the real lightning 2.6.6 and under ours (tests/trainer/
test_logging_vs_real.py runs this file in one subprocess per interpreter and compares the JSON it writes).

`python logging_scenarios.py OUT_DIR [NAME ...]` writes OUT_DIR/NAME.json for each scenario (all of them and
OUT_DIR/probes.json, the probes of logging_probes.py, when no name is given): snapshots of the three
metric dictionaries at the hooks a user reads them from, what trainer.validate/test return, metrics.csv rows, the
TensorBoard scalars read back, and what ModelCheckpoint picked.
"""
import csv
import json
import os
import sys
import warnings

import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset

import torchmetrics

if os.environ.get("LOGGING_SCENARIOS_NAMESPACE") == "pytorch_lightning":  # the same code as 1.x code
    import pytorch_lightning as L
    from pytorch_lightning.callbacks import Callback, EarlyStopping, ModelCheckpoint
    from pytorch_lightning.loggers import CSVLogger, TensorBoardLogger
else:
    import lightning as L
    from lightning.pytorch.callbacks import Callback, EarlyStopping, ModelCheckpoint
    from lightning.pytorch.loggers import CSVLogger, TensorBoardLogger

warnings.filterwarnings("ignore")


def _floats(metrics):
    return {k: float(v) for k, v in metrics.items()}


def loader(n, seed, batch_size=8):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 8, generator=g)
    y = (x[:, :3].sum(1) > 0).long() + (x[:, 3] > 0.8).long()  # three classes
    return DataLoader(TensorDataset(x, y), batch_size=batch_size)


class Recorder(Callback):
    """What a user's callback sees of the metric dictionaries at the end of each stage."""

    def __init__(self):
        self.snapshots = []

    def _snap(self, trainer, where):
        callback, logged = trainer.callback_metrics, trainer.logged_metrics
        self.snapshots.append({
            "where": where, "sanity": trainer.sanity_checking, "epoch": trainer.current_epoch,
            "step": trainer.global_step, "callback": _floats(callback), "logged": _floats(logged),
            "pbar": _floats(trainer.progress_bar_metrics),
            "types": sorted({type(v).__name__ for v in list(callback.values()) + list(logged.values())}),
        })

    def on_train_start(self, trainer, pl_module):
        self._snap(trainer, "train_start")

    def on_train_epoch_start(self, trainer, pl_module):
        self._snap(trainer, "train_epoch_start")

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
        self._snap(trainer, "train_batch_end")

    def on_validation_epoch_start(self, trainer, pl_module):
        self._snap(trainer, "validation_epoch_start")

    def on_validation_batch_end(self, trainer, pl_module, outputs, batch, batch_idx, dataloader_idx=0):
        self._snap(trainer, "validation_batch_end")

    def on_validation_end(self, trainer, pl_module):
        self._snap(trainer, "validation_end")

    def on_train_epoch_end(self, trainer, pl_module):
        self._snap(trainer, "train_epoch_end")

    def on_test_end(self, trainer, pl_module):
        self._snap(trainer, "test_end")


class Classifier(L.LightningModule):
    """Accuracy objects per stage: train by forward (on_step + on_epoch), val/test by update, plus epoch-end logs."""

    def __init__(self):
        super().__init__()
        self.layer = nn.Linear(8, 3)
        acc = lambda: torchmetrics.Accuracy(task="multiclass", num_classes=3)  # noqa: E731
        self.train_acc, self.val_acc, self.test_acc, self.epoch_end_acc = acc(), acc(), acc(), acc()

    def forward(self, x):
        return self.layer(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        self.train_acc(logits, y)
        self.log("train_acc", self.train_acc, on_step=True, on_epoch=True, prog_bar=True)
        self.log("train_loss", loss, on_epoch=True)
        return loss

    def on_train_epoch_end(self):
        self.log("train_epoch_end_weight", self.layer.weight.sum())

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        self.val_acc.update(logits, y)
        self.epoch_end_acc.update(logits, y)
        self.log("val_acc", self.val_acc, prog_bar=True)
        self.log("val_loss", F.cross_entropy(logits, y))

    def on_validation_epoch_end(self):
        # the common manual pattern: compute, log, reset
        self.log("val_acc_manual", self.epoch_end_acc.compute(), prog_bar=True)
        self.epoch_end_acc.reset()

    def test_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        self.test_acc.update(logits, y)
        self.log("test_acc", self.test_acc)
        self.log("test_loss", F.cross_entropy(logits, y))

    def on_test_epoch_end(self):
        self.log("test_epoch_end_value", self.layer.bias.sum())

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.2)


class Collection(Classifier):
    """`log_dict` of MetricCollections: forward in training (on_step + on_epoch), update in validation."""

    def __init__(self):
        super().__init__()
        metrics = torchmetrics.MetricCollection({
            "acc": torchmetrics.Accuracy(task="multiclass", num_classes=3),
            "f1": torchmetrics.F1Score(task="multiclass", num_classes=3, average="macro"),
        })
        self.train_metrics = metrics.clone(prefix="train_")
        self.val_metrics = metrics.clone(prefix="val_")

    def training_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        self.train_metrics(logits, y)
        self.log_dict(self.train_metrics, on_step=True, on_epoch=True)
        return F.cross_entropy(logits, y)

    def validation_step(self, batch, batch_idx):
        x, y = batch
        self.val_metrics.update(self(x), y)
        self.log_dict(self.val_metrics)

    def on_validation_epoch_end(self):
        pass


class MultiLoader(Classifier):
    """Two validation loaders: one Accuracy per loader, names with and without the dataloader suffix."""

    def __init__(self):
        super().__init__()
        self.val_accs = nn.ModuleList([torchmetrics.Accuracy(task="multiclass", num_classes=3) for _ in range(2)])

    def validation_step(self, batch, batch_idx, dataloader_idx=0):
        x, y = batch
        logits = self(x)
        self.val_accs[dataloader_idx].update(logits, y)
        self.log("val_acc", self.val_accs[dataloader_idx])
        self.log("val_loss", F.cross_entropy(logits, y), on_step=True)
        self.log(f"val_loss_{dataloader_idx}", F.cross_entropy(logits, y), add_dataloader_idx=False)

    def on_validation_epoch_end(self):
        self.log("val_epoch_end_value", self.layer.bias.sum())


class LogFromCallback(Callback):
    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
        pl_module.log("cb_batch", float(batch_idx), on_step=True, on_epoch=True, reduce_fx="max")

    def on_validation_epoch_end(self, trainer, pl_module):
        pl_module.log("cb_val_epoch_end", float(trainer.current_epoch) + 0.5)

    def on_train_epoch_end(self, trainer, pl_module):
        pl_module.log("cb_train_epoch_end", float(trainer.global_step))


class Reductions(Classifier):
    """Tensor reductions, batch-size weighting, explicit batch sizes, int values, enable_graph, update-only metric
    objects on epoch level, validation in the middle of the epoch."""

    def training_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        self.train_acc.update(logits, y)
        self.log("train_acc_epoch_only", self.train_acc, on_step=False, on_epoch=True)
        self.log("loss_graph", loss, enable_graph=True, on_epoch=True)
        self.log("sum", loss, on_step=True, on_epoch=True, reduce_fx="sum")
        self.log("max", loss, on_step=False, on_epoch=True, reduce_fx=torch.max)
        self.log("min", loss, on_step=False, on_epoch=True, reduce_fx="min")
        self.log("weighted", float(batch_idx), on_step=False, on_epoch=True, batch_size=batch_idx + 1)
        self.log("int_value", batch_idx, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        self.val_acc.update(logits, y)
        self.log("val_acc", self.val_acc)
        self.log("val_loss", F.cross_entropy(logits, y))  # batches of 8, 8, 8, 6: the mean is weighted
        self.log("val_max", F.cross_entropy(logits, y), reduce_fx="max")

    def on_validation_epoch_end(self):
        pass


class DictBatches(torch.utils.data.Dataset):
    def __init__(self, n, seed):
        self.data = loader(n, seed).dataset

    def __len__(self):
        return len(self.data)

    def __getitem__(self, i):
        x, y = self.data[i]
        return {"x": x, "y": y}


class StageHooks(Classifier):
    """Logging from the start hooks, dict batches, sync_dist on one device, gradient accumulation, two test
    loaders, and a metric updated in predict_step (which Lightning leaves alone)."""

    def __init__(self):
        super().__init__()
        self.pred_acc = torchmetrics.Accuracy(task="multiclass", num_classes=3)
        self.same_name_from_both_loaders = False

    def on_train_start(self):
        self.log("train_start_value", 3.0)

    def on_train_epoch_start(self):
        self.log("train_epoch_start_value", float(self.current_epoch) * 2)

    def on_validation_start(self):
        self.log("val_start_value", float(self.current_epoch) + 0.25)

    def training_step(self, batch, batch_idx):
        logits = self(batch["x"])
        loss = F.cross_entropy(logits, batch["y"])
        self.train_acc(logits, batch["y"])
        self.log("train_acc", self.train_acc, on_step=True, on_epoch=True)
        self.log("train_loss", loss, on_step=True, on_epoch=True, sync_dist=True, prog_bar=True)
        return loss

    def validation_step(self, batch, batch_idx):
        logits = self(batch["x"])
        self.val_acc.update(logits, batch["y"])
        self.log("val_acc", self.val_acc)
        self.log("val_loss", F.cross_entropy(logits, batch["y"]), sync_dist=True)

    def on_validation_epoch_end(self):
        pass

    def test_step(self, batch, batch_idx, dataloader_idx=0):
        x, y = batch
        logits = self(x)
        self.test_acc.update(logits, y)
        self.log(f"test_acc_{dataloader_idx}", self.test_acc, add_dataloader_idx=False)  # one object, two names
        if self.same_name_from_both_loaders:
            self.log("test_loss_both", F.cross_entropy(logits, y), add_dataloader_idx=False)
        self.log("test_loss", F.cross_entropy(logits, y))

    def predict_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        self.pred_acc.update(logits, y)
        return logits.argmax(1)


def _trainer(out, callbacks, **kwargs):
    loggers = [CSVLogger(out, name="csv", version=0), TensorBoardLogger(out, name="tb", version=0)]
    options = dict(max_epochs=3, logger=loggers, callbacks=callbacks, enable_progress_bar=False,
                   enable_model_summary=False, log_every_n_steps=2, num_sanity_val_steps=2, accelerator="cpu",
                   devices=1, deterministic=True)
    options.update(kwargs)
    return L.Trainer(**options)


def _files(out, trainer, checkpoint):
    rows = []
    with open(os.path.join(out, "csv", "version_0", "metrics.csv"), newline="") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames
        for row in reader:
            rows.append({k: (float(v) if v != "" else None) for k, v in row.items()})
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    # one event file per writer; read them in the order they were opened (the name's trailing counter: its
    # timestamp part differs between two runs, and EventAccumulator on the folder sorts names as text)
    tb_dir = os.path.join(out, "tb", "version_0")
    files = sorted((f for f in os.listdir(tb_dir) if "tfevents" in f), key=lambda f: int(f.rsplit(".", 1)[1]))
    scalars = {}
    for name in files:
        acc = EventAccumulator(os.path.join(tb_dir, name))
        acc.Reload()
        for tag in acc.Tags()["scalars"]:
            scalars.setdefault(tag, []).extend((e.step, e.value) for e in acc.Scalars(tag))
    scalars["_event_files"] = len(files)
    return {
        "csv_header": header, "csv_rows": rows, "tb_scalars": scalars,
        "best_model": os.path.basename(checkpoint.best_model_path),
        "best_score": None if checkpoint.best_model_score is None else float(checkpoint.best_model_score),
        "checkpoints": sorted(os.listdir(checkpoint.dirpath)),
    }


def _run(out, model, monitor, val_loaders, test=True, train_loader=None, test_loaders=None, **trainer_kwargs):
    recorder = Recorder()
    checkpoint = ModelCheckpoint(dirpath=os.path.join(out, "ckpt"), monitor=monitor, mode="max", save_top_k=2,
                                 filename="{epoch}-{step}", auto_insert_metric_name=False)
    trainer = _trainer(out, [recorder, checkpoint] + trainer_kwargs.pop("callbacks", []), **trainer_kwargs)
    trainer.fit(model, train_loader or loader(40, 0), val_loaders)
    stopped = {"epoch": trainer.current_epoch, "step": trainer.global_step}
    returned = {"validate": [trainer.validate(model, val_loaders, verbose=False) for _ in range(2)]}
    if test:
        test_loaders = test_loaders or loader(30, 2)
        returned["test"] = [trainer.test(model, test_loaders, verbose=False) for _ in range(2)]
    result = {"snapshots": recorder.snapshots, "returned": returned, "final_callback": _floats(trainer.callback_metrics),
              "final_logged": _floats(trainer.logged_metrics), "stopped": stopped}
    result.update(_files(out, trainer, checkpoint))
    return result


def classifier(out):
    return _run(out, Classifier(), "val_acc", loader(30, 1))


def collection(out):
    return _run(out, Collection(), "val_acc", loader(30, 1), test=False, log_every_n_steps=1)


def multi_loader(out):
    return _run(out, MultiLoader(), "val_acc/dataloader_idx_1", [loader(30, 1), loader(20, 3, batch_size=6)],
                test=False)


def reductions(out):
    return _run(out, Reductions(), "val_acc", loader(30, 1), callbacks=[LogFromCallback()], val_check_interval=0.5,
                log_every_n_steps=1)


def stage_hooks(out):
    model = StageHooks()
    dict_loader = lambda n, seed: DataLoader(DictBatches(n, seed), batch_size=8)  # noqa: E731
    result = _run(out, model, "val_acc", dict_loader(30, 1), train_loader=dict_loader(40, 0),
                  test_loaders=[loader(30, 2), loader(20, 4, batch_size=6)], accumulate_grad_batches=2,
                  log_every_n_steps=1, max_epochs=6, callbacks=[EarlyStopping("val_acc", mode="max", patience=1)])
    trainer = L.Trainer(logger=False, enable_progress_bar=False, enable_model_summary=False, accelerator="cpu")
    model.same_name_from_both_loaders = True  # not allowed: both dataloaders would write one entry
    try:
        trainer.test(model, [loader(30, 2), loader(20, 4, batch_size=6)], verbose=False)
        result["same_name_error"] = None
    except Exception as error:
        result["same_name_error"] = type(error).__name__
    result["predict_acc"] = []
    for _ in range(2):
        trainer.predict(model, loader(30, 1))
        result["predict_acc"].append(float(model.pred_acc.compute()))
    return result


SCENARIOS = {f.__name__: f for f in (classifier, collection, multi_loader, reductions, stage_hooks)}


def main(out_dir, names):
    if not names:  # everything: the scenarios and the edge-case probes of logging_probes.py
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import logging_probes

        with open(os.path.join(out_dir, "probes.json"), "w") as f:
            json.dump({name: logging_probes.run(name) for name in logging_probes.PROBES}, f, indent=1)
    for name in names or SCENARIOS:
        torch.manual_seed(0)
        out = os.path.join(out_dir, name)
        result = SCENARIOS[name](out)
        with open(os.path.join(out_dir, f"{name}.json"), "w") as f:
            json.dump(result, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
