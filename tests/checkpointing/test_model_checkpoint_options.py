"""ModelCheckpoint options not covered by the file-name comparison with 2.6.6, callback state on resume, and the
small callbacks' argument checks."""
import os

import pytest
import torch
import yaml

import lightning.pytorch as pl
from generate import _trainer
from lightning.fabric.utilities.exceptions import MisconfigurationException
from lightning.pytorch.callbacks import (
    EarlyStopping, GradientAccumulationScheduler, LambdaCallback, LearningRateMonitor, ModelCheckpoint,
    OnExceptionCheckpoint, StochasticWeightAveraging, Timer,
)
from lightning.pytorch.callbacks import model_checkpoint as model_checkpoint_module
from tiny_model import make_tiny_model_class

TinyModel = make_tiny_model_class(pl)


def _fit(root, callbacks, max_epochs=2, ckpt_path=None, **kwargs):
    pl.seed_everything(0)
    trainer = _trainer(pl, str(root), max_epochs=max_epochs, callbacks=callbacks, logger=False, **kwargs)
    trainer.fit(TinyModel(), ckpt_path=ckpt_path)
    return trainer


def test_train_time_interval(tmp_path, monkeypatch):
    clock = iter(range(0, 10_000, 7))  # each monotonic() call advances 7 s
    monkeypatch.setattr(model_checkpoint_module.time, "monotonic", lambda: next(clock))
    from datetime import timedelta

    callback = ModelCheckpoint(dirpath=tmp_path, train_time_interval=timedelta(seconds=10), save_top_k=-1)
    _fit(tmp_path, [callback], max_epochs=1)
    saved = sorted(os.listdir(tmp_path))
    assert saved and all(name.startswith("epoch=0-step=") for name in saved)
    assert len(saved) < 4  # not every step: only when 10 s passed since the last save


def test_version_counter_off_overwrites(tmp_path):
    callback = ModelCheckpoint(dirpath=tmp_path, filename="model", save_top_k=-1, enable_version_counter=False)
    _fit(tmp_path, [callback], max_epochs=3)
    assert os.listdir(tmp_path) == ["model.ckpt"]
    assert torch.load(tmp_path / "model.ckpt")["global_step"] == 12


def test_to_yaml(tmp_path):
    callback = ModelCheckpoint(dirpath=tmp_path, monitor="val_loss", save_top_k=2)
    _fit(tmp_path, [callback], max_epochs=3)
    callback.to_yaml()
    written = yaml.safe_load((tmp_path / "best_k_models.yaml").read_text())
    assert written == {path: pytest.approx(float(score)) for path, score in callback.best_k_models.items()}
    assert len(written) == 2


def test_resumed_run_keeps_its_bookkeeping_and_never_deletes_the_resume_file(tmp_path):
    first = ModelCheckpoint(dirpath=tmp_path, monitor="val_loss", save_top_k=1)
    _fit(tmp_path, [first], max_epochs=2)
    resume_from = first.best_model_path  # epoch=1 (val_loss 0.5)
    second = ModelCheckpoint(dirpath=tmp_path, monitor="val_loss", save_top_k=1)
    _fit(tmp_path, [second], max_epochs=4, ckpt_path=resume_from)
    assert os.path.exists(resume_from)  # the file training resumed from survives top-k pruning
    assert os.path.basename(second.best_model_path) == "epoch=3-step=16.ckpt"  # val_loss 0.3 beat the restored 0.5
    assert float(second.best_model_score) == pytest.approx(0.3)


def test_dirpath_change_keeps_only_best_model_path(tmp_path):
    first = ModelCheckpoint(dirpath=tmp_path / "a", monitor="val_loss")
    _fit(tmp_path, [first], max_epochs=1)
    moved = ModelCheckpoint(dirpath=tmp_path / "b", monitor="val_loss")
    moved.load_state_dict(first.state_dict())
    assert moved.best_model_path == first.best_model_path and moved.best_k_models == {}


def test_missing_callback_state_is_reported(tmp_path):
    first = _fit(tmp_path, [EarlyStopping(monitor="val_loss", patience=7)], max_epochs=1, enable_checkpointing=False)
    first.save_checkpoint(tmp_path / "es.ckpt")
    with pytest.warns(UserWarning, match="EarlyStopping"):
        _fit(tmp_path, [EarlyStopping(monitor="val_mse")], max_epochs=2, ckpt_path=tmp_path / "es.ckpt",
             enable_checkpointing=False)


def test_early_stopping_state_restored_by_state_key(tmp_path):
    first = _fit(tmp_path, [EarlyStopping(monitor="val_loss", patience=7)], max_epochs=2, enable_checkpointing=False)
    first.save_checkpoint(tmp_path / "es.ckpt")
    resumed = EarlyStopping(monitor="val_loss", patience=7)
    _fit(tmp_path, [resumed], max_epochs=2, ckpt_path=tmp_path / "es.ckpt", enable_checkpointing=False)
    assert float(resumed.best_score) == pytest.approx(0.5)


def test_timer_counts_on_after_resume(tmp_path):
    timer = Timer(duration={"days": 1})
    first = _fit(tmp_path, [timer], max_epochs=1, enable_checkpointing=False)
    first.save_checkpoint(tmp_path / "t.ckpt")
    elapsed = timer.time_elapsed("train")
    resumed = Timer(duration={"days": 1})
    _fit(tmp_path, [resumed], max_epochs=2, ckpt_path=tmp_path / "t.ckpt", enable_checkpointing=False)
    assert resumed.time_elapsed("train") >= elapsed > 0


def test_timer_stops_training(tmp_path):
    trainer = _fit(tmp_path, [Timer(duration={"seconds": 0}, interval="epoch")], max_epochs=5,
                   enable_checkpointing=False)
    # the Timer also checks at fit start; with no min_epochs nothing is trained (as in 2.6.6)
    assert trainer.current_epoch == 0 and trainer.global_step == 0


@pytest.mark.parametrize(("factory", "error"), [
    (lambda: LambdaCallback(on_fit_start="not callable"), TypeError),
    (lambda: OnExceptionCheckpoint(dirpath="x", filename=""), ValueError),
    (lambda: GradientAccumulationScheduler({}), TypeError),
    (lambda: GradientAccumulationScheduler({0: 0}), MisconfigurationException),
    (lambda: Timer(duration="1 hour"), MisconfigurationException),
    (lambda: Timer(interval="batch"), MisconfigurationException),
    (lambda: LearningRateMonitor(logging_interval="batch"), MisconfigurationException),
    (lambda: StochasticWeightAveraging(swa_lrs=-1.0), MisconfigurationException),
    (lambda: StochasticWeightAveraging(swa_lrs=0.1, swa_epoch_start=0), MisconfigurationException),
    (lambda: EarlyStopping(monitor="x", mode="median"), MisconfigurationException),
    (lambda: ModelCheckpoint(save_last="sometimes"), MisconfigurationException),
])
def test_bad_arguments(factory, error):
    with pytest.raises(error):
        factory()


def test_learning_rate_monitor_needs_a_logger(tmp_path):
    with pytest.raises(MisconfigurationException, match="no logger"):
        _fit(tmp_path, [LearningRateMonitor()], max_epochs=1)


def test_early_stopping_strict_missing_metric(tmp_path):
    with pytest.raises(RuntimeError, match="not available"):
        _fit(tmp_path, [EarlyStopping(monitor="nope")], max_epochs=1)
    trainer = _fit(tmp_path, [EarlyStopping(monitor="nope", strict=False)], max_epochs=2)
    assert trainer.current_epoch == 2
