"""Old and new namespaces mix freely; trainer.tune() runs the 1.x tuner flags on the 2.x Tuner; the 1.x
callback-state and DataModule argparse contracts."""
import argparse
import warnings

import pytest
import torch

import lightning as L
import pytorch_lightning as pl
from lightning.pytorch._legacy.usage import LegacyUsageWarning
from models import Tiny, loader, quiet_trainer


class OldStyle(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.layer = torch.nn.Linear(3, 1)

    def training_step(self, batch, batch_idx):
        x, y = batch
        return torch.nn.functional.mse_loss(self.layer(x), y)

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.1)


class CountingOld(pl.Callback):
    def __init__(self):
        self.batches = 0

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
        self.batches += 1


def test_pl_module_and_callback_under_lightning_trainer(tmp_path):
    counter = CountingOld()
    trainer = L.Trainer(default_root_dir=str(tmp_path), max_steps=2, logger=False, enable_progress_bar=False,
                        enable_checkpointing=False, enable_model_summary=False, callbacks=[counter])
    trainer.fit(OldStyle(), loader(8, 4))
    assert trainer.global_step == 2 and counter.batches == 2
    assert isinstance(OldStyle(), L.LightningModule) and isinstance(counter, L.Callback)


def test_lightning_module_and_callback_under_pl_trainer(tmp_path):
    class NewCallback(L.Callback):
        seen = 0

        def on_train_epoch_end(self, trainer, pl_module):
            NewCallback.seen += 1

    with pytest.warns(LegacyUsageWarning):
        trainer = pl.Trainer(default_root_dir=str(tmp_path), gpus=0, max_epochs=1, logger=False,
                             progress_bar_refresh_rate=0, callbacks=[NewCallback()], weights_summary=None)
    trainer.fit(Tiny(), loader(8, 4))
    assert trainer.current_epoch == 1 and NewCallback.seen == 1


class Tunable(Tiny):
    def __init__(self, batch_size=2, lr=0.1):
        super().__init__()
        self.batch_size = batch_size
        self.lr = lr

    def train_dataloader(self):
        return loader(64, self.batch_size)

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=self.lr)


def test_tune_runs_the_lr_finder_and_updates_the_attribute(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        trainer = quiet_trainer(tmp_path, auto_lr_find=True)
        model = Tunable()
        result = trainer.tune(model, lr_find_kwargs={"num_training": 30, "early_stop_threshold": None})
    assert set(result) == {"lr_find"}
    suggestion = result["lr_find"].suggestion()
    assert suggestion is not None and model.lr == pytest.approx(suggestion)


def test_tune_scales_the_batch_size(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        trainer = quiet_trainer(tmp_path, auto_scale_batch_size="power")
        model = Tunable()
        result = trainer.tune(model, scale_batch_size_kwargs={"max_trials": 2, "steps_per_trial": 1})
    assert result["scale_batch_size"] == model.batch_size > 2


def test_tune_without_flags_does_nothing(tmp_path):
    with pytest.warns(LegacyUsageWarning, match="tune"):
        assert quiet_trainer(tmp_path).tune(Tunable()) == {}


def test_callback_on_load_checkpoint_gets_its_own_state(tmp_path):
    class Stateful(L.Callback):
        def __init__(self):
            self.loaded = None

        def state_dict(self):
            return {"value": 3}

        def on_load_checkpoint(self, trainer, pl_module, callback_state):  # the 1.3-1.7 signature
            self.loaded = callback_state

    first = quiet_trainer(tmp_path, max_steps=1, callbacks=[Stateful()])
    with pytest.warns(LegacyUsageWarning, match="load_state_dict"):
        first.fit(Tiny(), loader())
    first.save_checkpoint(tmp_path / "s.ckpt")
    callback = Stateful()
    second = quiet_trainer(tmp_path, max_steps=2, callbacks=[callback])
    second.fit(Tiny(), loader(), ckpt_path=str(tmp_path / "s.ckpt"))
    assert callback.loaded == {"value": 3}


def test_datamodule_argparse_helpers():
    class DM(pl.LightningDataModule):
        def __init__(self, batch_size: int = 8, data_dir: str = "x", shuffle: bool = False):
            super().__init__()
            self.batch_size, self.data_dir, self.shuffle = batch_size, data_dir, shuffle

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parser = DM.add_argparse_args(argparse.ArgumentParser())
        args = parser.parse_args(["--batch_size", "3", "--shuffle", "true"])
        dm = DM.from_argparse_args(args, data_dir="y")
    assert (dm.batch_size, dm.data_dir, dm.shuffle) == (3, "y", True)


def test_datamodule_argparse_helpers_in_strict_mode(strict):
    with pytest.raises(AttributeError, match="add_argparse_args"):
        pl.LightningDataModule.add_argparse_args(argparse.ArgumentParser())


def test_a_2x_run_installs_nothing(tmp_path):
    trainer = quiet_trainer(tmp_path, max_steps=1)
    trainer.fit(Tiny(), loader())
    assert trainer._hooks.shims is None and trainer.fit_loop.epoch_loop.legacy_optimization is None
    assert not any(type(c).__name__ == "LegacyHookCallback" for c in trainer._run_callbacks)


def test_datamodule_transforms_and_dims():
    class DM(pl.LightningDataModule):
        def __init__(self):
            super().__init__(train_transforms="t", dims=(1, 28, 28))

    with pytest.warns(LegacyUsageWarning, match="train_transforms"):
        dm = DM()
    assert dm.train_transforms == "t" and dm.size() == (1, 28, 28) and dm.size(1) == 28


def test_datamodule_transforms_in_strict_mode(strict):
    with pytest.raises(TypeError, match="unexpected keyword argument 'train_transforms'"):
        pl.LightningDataModule(train_transforms="t")


def test_1x_stateful_callback_round_trip(tmp_path):
    """1.3-1.7: on_save_checkpoint returned the state, on_load_checkpoint(..., callback_state) got it back."""

    class OldStateful(L.Callback):
        def __init__(self, value=None):
            self.value, self.loaded = value, None

        def on_save_checkpoint(self, trainer, pl_module, checkpoint):
            return {"value": self.value}

        def on_load_checkpoint(self, trainer, pl_module, callback_state):
            self.loaded = callback_state

    first = quiet_trainer(tmp_path, max_steps=1, callbacks=[OldStateful(5)])
    first.fit(Tiny(), loader())
    with pytest.warns(LegacyUsageWarning, match="returns its state"):
        first.save_checkpoint(tmp_path / "old.ckpt")
    callback = OldStateful()
    quiet_trainer(tmp_path, max_steps=2, callbacks=[callback]).fit(Tiny(), loader(),
                                                                    ckpt_path=str(tmp_path / "old.ckpt"))
    assert callback.loaded == {"value": 5}
