"""Scenarios run under the real lightning 2.6.6 and under ours by test_dataloader_iter_vs_real.py; prints one JSON
object: for steps that take ``dataloader_iter`` (pulling one or two batches per step, or running dry inside the
step), what each hook receives, how many steps run per stage, the progress counters, and which fetches a profiler
times."""
import json
import tempfile
import warnings

import torch
from torch.utils.data import DataLoader

import lightning.pytorch as pl
from lightning.pytorch.demos.boring_classes import BoringModel, RandomDataset


def _short(batch):
    return None if batch is None else round(float(batch.sum()), 4)


class _Pulling(BoringModel):
    def __init__(self, per_step, calls):
        super().__init__()
        self.per_step = per_step
        self.calls = calls

    def _pull(self, dataloader_iter, stage):
        batch = None
        for _ in range(self.per_step):
            try:
                batch, batch_idx, dataloader_idx = next(dataloader_iter)
            except StopIteration:
                self.calls.append([stage, "dry"])
                return None
            self.calls.append([stage, "pulled", batch_idx, dataloader_idx])
        return self.layer(batch).sum()

    def training_step(self, dataloader_iter):
        return self._pull(dataloader_iter, "train")

    def validation_step(self, dataloader_iter):
        return self._pull(dataloader_iter, "sanity" if self.trainer.sanity_checking else "val")

    def test_step(self, dataloader_iter):
        return self._pull(dataloader_iter, "test")

    def predict_step(self, dataloader_iter):
        return self._pull(dataloader_iter, "predict")


class _Hooks(pl.Callback):
    def __init__(self, calls):
        self.calls = calls

    def on_train_batch_start(self, trainer, pl_module, batch, batch_idx):
        self.calls.append(["train_start", _short(batch), batch_idx, trainer.fit_loop.epoch_loop.batch_progress.is_last_batch])

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
        self.calls.append(["train_end", _short(batch), batch_idx, trainer.fit_loop.epoch_loop.batch_progress.is_last_batch])

    def on_validation_batch_start(self, trainer, pl_module, batch, batch_idx, dataloader_idx=0):
        self.calls.append(["val_start", _short(batch), batch_idx, dataloader_idx])

    def on_validation_batch_end(self, trainer, pl_module, outputs, batch, batch_idx, dataloader_idx=0):
        self.calls.append(["val_end", _short(batch), batch_idx, dataloader_idx])

    def on_predict_batch_end(self, trainer, pl_module, outputs, batch, batch_idx, dataloader_idx=0):
        self.calls.append(["predict_end", _short(batch), batch_idx, dataloader_idx])


def _data(n=12, batch_size=2):
    torch.manual_seed(0)
    return DataLoader(RandomDataset(32, n), batch_size=batch_size)


def pulling(per_step, limit, val_loaders=1):
    calls = []
    model = _Pulling(per_step, calls)
    trainer = pl.Trainer(default_root_dir=tempfile.mkdtemp(), max_epochs=1, limit_train_batches=limit,
                         limit_val_batches=limit, limit_test_batches=limit, limit_predict_batches=limit,
                         num_sanity_val_steps=2, logger=False, enable_checkpointing=False, enable_progress_bar=False,
                         enable_model_summary=False, callbacks=[_Hooks(calls)])
    val = _data() if val_loaders == 1 else [_data(), _data(6)]
    trainer.fit(model, _data(), val)
    progress = trainer.fit_loop.epoch_loop.batch_progress.current
    calls.append(["fit_done", trainer.global_step, progress.ready, progress.completed])
    trainer.validate(model, val, verbose=False)
    trainer.test(model, _data(), verbose=False)
    trainer.predict(model, _data())
    return calls


def profiled():
    model = _Pulling(2, [])
    trainer = pl.Trainer(default_root_dir=tempfile.mkdtemp(), fast_dev_run=4, profiler="simple", logger=False,
                         enable_progress_bar=False, enable_model_summary=False)
    trainer.fit(model, _data(), _data())
    trainer.predict(model, _data())
    return {key: len(value) for key, value in sorted(trainer.profiler.recorded_durations.items())
            if key.endswith("_next")}


def warned():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pulling(1, 2)
    return sorted({type(w.message).__name__ for w in caught if "`dataloader_iter` step flavor" in str(w.message)})


if __name__ == "__main__":
    print(json.dumps({
        "one_per_step": pulling(1, 4), "two_per_step": pulling(2, 5), "two_per_step_unlimited": pulling(2, None),
        "three_per_step_two_val_loaders": pulling(3, 4, val_loaders=2), "profiled": profiled(), "warned": warned(),
    }))
