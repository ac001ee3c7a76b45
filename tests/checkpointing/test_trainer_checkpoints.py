"""Checkpoints through the Trainer: ckpt_path="last"/"best", validate/test/predict from a file, hook order,
weights-only files, the AMP scaler state, every written file loading with plain torch.load, and bad input."""
import os
import shutil
from pathlib import Path

import pytest
import torch

import lightning.pytorch as pl
from generate import _trainer
from lightning.pytorch.callbacks import (
    BackboneFinetuning, EarlyStopping, LearningRateMonitor, ModelCheckpoint, StochasticWeightAveraging, Timer,
)
from lightning.pytorch.plugins.io import AsyncCheckpointIO, TorchCheckpointIO
from lightning.pytorch.plugins.precision import MixedPrecision
from resumable import ResumableModel, make_trainer
from tiny_model import make_tiny_model_class

TinyModel = make_tiny_model_class(pl)


def _fit(root, **kwargs):
    pl.seed_everything(0)
    kwargs.setdefault("max_epochs", 2)
    trainer = _trainer(pl, str(root), **kwargs)
    model = TinyModel()
    trainer.fit(model)
    return trainer, model


def test_ckpt_path_best_and_last(tmp_path):
    callback = ModelCheckpoint(dirpath=tmp_path / "ckpts", monitor="val_loss", save_last=True, save_top_k=1)
    trainer, _ = _fit(tmp_path, max_epochs=3, callbacks=[callback])
    # val_loss schedule 0.9, 0.5, 0.7: the best is epoch 1
    assert os.path.basename(callback.best_model_path) == "epoch=1-step=8.ckpt"
    trainer.validate(ckpt_path="best", verbose=False)
    assert trainer.ckpt_path == callback.best_model_path
    trainer.test(ckpt_path="last", verbose=False)
    assert os.path.basename(trainer.ckpt_path) == "last.ckpt"
    predictions = trainer.predict(ckpt_path=callback.best_model_path)
    assert len(predictions) == 2
    trainer.fit(TinyModel(), ckpt_path="best")  # as in 2.6.6, fit may start from the best checkpoint too
    assert trainer.ckpt_path == callback.best_model_path

    # a new Trainer has a new logger version: the same dirpath makes it find the previous run's last.ckpt
    again = ModelCheckpoint(dirpath=tmp_path / "ckpts", monitor="val_loss", save_last=True)
    resumed = _trainer(pl, str(tmp_path), max_epochs=4, callbacks=[again])
    resumed.fit(TinyModel(), ckpt_path="last")
    assert os.path.basename(resumed.ckpt_path) == "last.ckpt"
    assert (resumed.current_epoch, resumed.global_step) == (4, 16)


def test_ckpt_path_best_without_checkpoint_callback(tmp_path):
    trainer, model = _fit(tmp_path, max_epochs=1, enable_checkpointing=False, logger=False)
    with pytest.raises(ValueError, match="ModelCheckpoint"):
        trainer.validate(model, ckpt_path="best")


def test_loading_does_not_change_the_file(tmp_path):
    trainer, _ = _fit(tmp_path, max_epochs=1)
    path = trainer.checkpoint_callback.best_model_path
    before = Path(path).read_bytes()
    TinyModel.load_from_checkpoint(path)
    _trainer(pl, str(tmp_path / "again"), max_epochs=2, logger=False, enable_checkpointing=False).fit(
        TinyModel(), ckpt_path=path)
    assert Path(path).read_bytes() == before


def test_hook_order_on_save_and_load(tmp_path):
    calls = []

    class Model(TinyModel):
        def on_save_checkpoint(self, checkpoint):
            calls.append(("module.on_save_checkpoint", "callbacks" in checkpoint))
            checkpoint["my_extra_key"] = 1

        def on_load_checkpoint(self, checkpoint):
            calls.append(("module.on_load_checkpoint", checkpoint["my_extra_key"]))

    class Recorder(pl.Callback):
        def state_dict(self):
            calls.append(("callback.state_dict",))
            return {"n": 1}

        def load_state_dict(self, state_dict):
            calls.append(("callback.load_state_dict", state_dict["n"]))

        def on_save_checkpoint(self, trainer, pl_module, checkpoint):
            calls.append(("callback.on_save_checkpoint", self.state_key in checkpoint["callbacks"]))

        def on_load_checkpoint(self, trainer, pl_module, checkpoint):
            calls.append(("callback.on_load_checkpoint",))

    trainer = _trainer(pl, str(tmp_path), max_epochs=1, callbacks=[Recorder()], enable_checkpointing=False,
                       logger=False)
    trainer.fit(Model())
    trainer.save_checkpoint(tmp_path / "a.ckpt")
    assert calls == [("callback.state_dict",), ("callback.on_save_checkpoint", True),
                     ("module.on_save_checkpoint", True)]
    calls.clear()
    trainer = _trainer(pl, str(tmp_path), max_epochs=2, callbacks=[Recorder()], enable_checkpointing=False,
                       logger=False)
    trainer.fit(Model(), ckpt_path=tmp_path / "a.ckpt")
    assert calls[:3] == [("module.on_load_checkpoint", 1), ("callback.on_load_checkpoint",),
                         ("callback.load_state_dict", 1)]
    assert torch.load(tmp_path / "a.ckpt")["my_extra_key"] == 1


def test_weights_only_checkpoint(tmp_path):
    callback = ModelCheckpoint(save_weights_only=True)
    trainer, _ = _fit(tmp_path, max_epochs=1, callbacks=[callback])
    checkpoint = torch.load(callback.best_model_path)
    assert "optimizer_states" not in checkpoint and "callbacks" not in checkpoint
    assert TinyModel.load_from_checkpoint(callback.best_model_path) is not None
    with pytest.raises(KeyError, match="save_weights_only"):
        _trainer(pl, str(tmp_path), max_epochs=2, logger=False).fit(TinyModel(), ckpt_path=callback.best_model_path)


def test_every_written_file_loads_with_plain_torch_load(tmp_path):
    """A run with every stateful callback: each file is readable with torch.load(weights_only=True)."""

    class WithBackbone(TinyModel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.backbone = self.net[0]

    callbacks = [
        ModelCheckpoint(monitor="val_loss", save_top_k=-1, save_last=True, every_n_train_steps=3),
        EarlyStopping(monitor="val_loss", patience=10), LearningRateMonitor(), Timer(duration="00:01:00:00"),
        StochasticWeightAveraging(swa_lrs=0.01, swa_epoch_start=1), BackboneFinetuning(unfreeze_backbone_at_epoch=1),
    ]
    pl.seed_everything(0)
    trainer = _trainer(pl, str(tmp_path), max_epochs=3, callbacks=callbacks)
    trainer.fit(WithBackbone())
    files = [os.path.join(d, f) for d, _, fs in os.walk(tmp_path) for f in fs if f.endswith(".ckpt")]
    assert len(files) >= 4
    for path in files:
        checkpoint = torch.load(path)
        assert {"StochasticWeightAveraging", "BackboneFinetuning", "Timer"} <= set(checkpoint["callbacks"])


def test_amp_scaler_state_is_saved_and_restored(tmp_path):
    """16-mixed with a gradient scaler (a CPU GradScaler here; CUDA uses the same plugin code)."""

    def amp_trainer(root, max_epochs):
        scaler = torch.amp.GradScaler("cpu", init_scale=1024.0, growth_interval=3)
        return _trainer(pl, str(root), max_epochs=max_epochs, logger=False, enable_checkpointing=False,
                        plugins=[MixedPrecision("16-mixed", "cpu", scaler=scaler)])

    pl.seed_everything(0)
    trainer = amp_trainer(tmp_path, 1)
    trainer.fit(TinyModel())
    trainer.save_checkpoint(tmp_path / "amp.ckpt")
    saved = torch.load(tmp_path / "amp.ckpt")["MixedPrecision"]
    assert saved == trainer.precision_plugin.scaler.state_dict() and saved["scale"] != 1024.0

    resumed = amp_trainer(tmp_path, 1)  # max_epochs reached: restores, then stops
    resumed.fit(TinyModel(), ckpt_path=tmp_path / "amp.ckpt")
    assert resumed.precision_plugin.scaler.state_dict() == saved


def test_legacy_scaler_key_is_restored(tmp_path):
    """1.6-2.1 files keep the scaler under the old plugin name, which real 2.2+ ignores."""
    scaler = torch.amp.GradScaler("cpu", init_scale=8.0)
    pl.seed_everything(0)
    trainer, _ = _fit(tmp_path, max_epochs=1, logger=False, enable_checkpointing=False)
    trainer.save_checkpoint(tmp_path / "a.ckpt")
    checkpoint = torch.load(tmp_path / "a.ckpt")
    checkpoint["pytorch-lightning_version"] = "1.9.5"
    checkpoint["MixedPrecisionPlugin"] = {"scale": 4.0, "growth_factor": 2.0, "backoff_factor": 0.5,
                                          "growth_interval": 2000, "_growth_tracker": 7}
    torch.save(checkpoint, tmp_path / "old.ckpt")
    resumed = _trainer(pl, str(tmp_path), max_epochs=1, logger=False, enable_checkpointing=False,
                       plugins=[MixedPrecision("16-mixed", "cpu", scaler=scaler)])
    resumed.fit(TinyModel(), ckpt_path=tmp_path / "old.ckpt")
    assert scaler.state_dict()["_growth_tracker"] == 7 and scaler.get_scale() == 4.0


def test_async_checkpoint_io_plugin_in_fit(tmp_path):
    io = AsyncCheckpointIO(TorchCheckpointIO())
    callback = ModelCheckpoint(save_top_k=-1)
    trainer, _ = _fit(tmp_path, max_epochs=3, callbacks=[callback], plugins=[io])
    io.wait()
    names = sorted(os.listdir(callback.dirpath))
    assert names == ["epoch=0-step=4.ckpt", "epoch=1-step=8.ckpt", "epoch=2-step=12.ckpt"]
    assert torch.load(callback.best_model_path)["global_step"] == 12


# ---------------------------------------------------------------- bad input
def test_fit_from_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="not found"):
        _trainer(pl, str(tmp_path), max_epochs=1, logger=False).fit(TinyModel(), ckpt_path=tmp_path / "nope.ckpt")


@pytest.mark.parametrize("damage", ["truncate", "text"])
def test_fit_from_damaged_file(tmp_path, damage):
    trainer, _ = _fit(tmp_path / "run", max_epochs=1, logger=False)
    path = tmp_path / "bad.ckpt"
    shutil.copy(trainer.checkpoint_callback.best_model_path, path)
    path.write_bytes(path.read_bytes()[:300] if damage == "truncate" else b"hello")
    with pytest.raises(ValueError, match="truncated, corrupt or not a torch file"):
        _trainer(pl, str(tmp_path), max_epochs=2, logger=False).fit(TinyModel(), ckpt_path=path)
    with pytest.raises(ValueError, match="truncated, corrupt or not a torch file"):
        TinyModel.load_from_checkpoint(path)


def test_file_that_is_not_a_checkpoint(tmp_path):
    path = tmp_path / "weights.pt"
    torch.save(TinyModel().state_dict(), path)  # a bare state_dict, not a Lightning checkpoint
    with pytest.raises(KeyError, match="not a Lightning checkpoint"):
        TinyModel.load_from_checkpoint(path)


def test_checkpoint_of_a_different_model_class(tmp_path):
    trainer, _ = _fit(tmp_path, max_epochs=1, logger=False)
    path = trainer.checkpoint_callback.best_model_path
    before = Path(path).read_bytes()
    with pytest.raises(RuntimeError, match="different model class"):
        ResumableModel.load_from_checkpoint(path)
    with pytest.raises(RuntimeError, match="different model class"):
        make_trainer(str(tmp_path / "other"), 1).fit(ResumableModel(), ckpt_path=path)
    assert Path(path).read_bytes() == before


def test_strict_false_loads_matching_keys_and_warns(tmp_path):
    class Bigger(TinyModel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.extra = torch.nn.Linear(2, 2)

    trainer, model = _fit(tmp_path, max_epochs=1, logger=False)
    path = trainer.checkpoint_callback.best_model_path
    with pytest.raises(RuntimeError, match="strict=False"):
        Bigger.load_from_checkpoint(path)
    with pytest.warns(UserWarning, match="extra.weight"):
        loaded = Bigger.load_from_checkpoint(path, strict=False)
    assert torch.equal(loaded.net[0].weight, model.net[0].weight)


def test_hparams_override_and_hparams_file(tmp_path):
    trainer, _ = _fit(tmp_path, max_epochs=1)
    path = trainer.checkpoint_callback.best_model_path
    assert TinyModel.load_from_checkpoint(path, lr=0.5).hparams.lr == 0.5
    hparams_file = tmp_path / "hp.yaml"
    hparams_file.write_text("in_features: 4\nhidden: 8\nlr: 0.25\ngamma: 0.1\n")
    model = TinyModel.load_from_checkpoint(path, hparams_file=str(hparams_file))
    assert (model.hparams.lr, model.hparams.gamma) == (0.25, 0.1)
    with pytest.raises(ValueError, match="hparams_file"):
        TinyModel.load_from_checkpoint(path, hparams_file=str(tmp_path / "hp.json"))


def test_map_location(tmp_path):
    trainer, _ = _fit(tmp_path, max_epochs=1, logger=False)
    seen = []

    def to_cpu(storage, location):
        seen.append(location)
        return storage

    model = TinyModel.load_from_checkpoint(trainer.checkpoint_callback.best_model_path, map_location=to_cpu)
    assert seen and model.device.type == "cpu"


def test_namespace_and_path_hyperparameters_stay_weights_only_loadable(tmp_path):
    import argparse
    import pathlib

    class Configured(TinyModel):
        def __init__(self, args: argparse.Namespace = argparse.Namespace(lr=0.01),
                     data_dir: pathlib.Path = pathlib.Path("/data")):
            super().__init__(lr=args.lr)
            self.save_hyperparameters()

    pl.seed_everything(0)
    trainer = _trainer(pl, str(tmp_path), max_epochs=1, logger=False)
    trainer.fit(Configured(argparse.Namespace(lr=0.02), pathlib.Path("/tmp/somewhere")))
    path = trainer.checkpoint_callback.best_model_path
    plain = torch.load(path)  # no pickled Namespace / PosixPath
    assert plain["hyper_parameters"]["args"] == {"lr": 0.02}
    assert plain["hyper_parameters_types"] == {"args": {"kind": "namespace", "items": None},
                                               "data_dir": {"kind": "path", "type": "pathlib.Path"}}
    model = Configured.load_from_checkpoint(path)
    assert model.hparams.args == argparse.Namespace(lr=0.02)
    assert model.hparams.data_dir == pathlib.Path("/tmp/somewhere")


def test_unpicklable_hyperparameter_is_reported(tmp_path):
    class WithModule(TinyModel):
        def __init__(self, head: torch.nn.Module = None):
            super().__init__()
            self.save_hyperparameters()

    pl.seed_everything(0)
    trainer = _trainer(pl, str(tmp_path), max_epochs=1, logger=False, enable_checkpointing=False)
    trainer.fit(WithModule(torch.nn.Linear(1, 1)))
    with pytest.warns(UserWarning, match=r"ignore=\['head'\]"):
        trainer.save_checkpoint(tmp_path / "m.ckpt")
    with pytest.raises(Exception, match="weights_only=False"):
        WithModule.load_from_checkpoint(tmp_path / "m.ckpt")
    assert isinstance(WithModule.load_from_checkpoint(tmp_path / "m.ckpt", weights_only=False).hparams.head,
                      torch.nn.Linear)
