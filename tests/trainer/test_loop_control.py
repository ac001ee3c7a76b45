"""Loop limits and schedules: limit_*_batches, max_steps, val_check_interval, check_val_every_n_epoch,
num_sanity_val_steps, fast_dev_run, overfit_batches, should_stop / min_epochs, reload_dataloaders_every_n_epochs."""
import pytest

import lightning as L
from lightning.pytorch.utilities.exceptions import MisconfigurationException
from tests.trainer.helpers import Regressor, loader, trainer


class Counting(Regressor):
    def __init__(self):
        super().__init__()
        self.train_batches = 0
        self.val_batches = 0
        self.val_runs = 0

    def training_step(self, batch, batch_idx):
        self.train_batches += 1
        return super().training_step(batch, batch_idx)

    def validation_step(self, batch, batch_idx):
        self.val_batches += 1

    def on_validation_epoch_end(self):
        self.val_runs += 1


def _fit(**kwargs):
    model = Counting()
    t = trainer(**kwargs)
    t.fit(model, loader(32), loader(16))  # 8 train batches, 4 val batches
    return t, model


@pytest.mark.parametrize("limit, expected", [(3, 3), (0.5, 4), (1.0, 8)])
def test_limit_train_batches(limit, expected):
    t, m = _fit(limit_train_batches=limit, num_sanity_val_steps=0)
    assert t.num_training_batches == expected and m.train_batches == expected


def test_limit_val_batches_and_sanity_steps():
    t, m = _fit(limit_val_batches=2, num_sanity_val_steps=1)
    assert t.num_val_batches == [2] and m.val_batches == 1 + 2 and m.val_runs == 2


def test_sanity_check_all_batches_with_minus_one():
    _, m = _fit(num_sanity_val_steps=-1, limit_val_batches=0.5)
    assert m.val_batches == 2 + 2


def test_max_steps_stops_mid_epoch():
    t, m = _fit(max_steps=5, max_epochs=-1, num_sanity_val_steps=0)
    assert t.global_step == 5 and m.train_batches == 5 and t.current_epoch == 1  # the epoch is closed, as in 2.6.6


def test_val_check_interval_fraction_and_int():
    _, m = _fit(val_check_interval=0.25, num_sanity_val_steps=0)
    assert m.val_runs == 4
    _, m = _fit(val_check_interval=3, num_sanity_val_steps=0)
    assert m.val_runs == 2  # after batches 3 and 6


def test_val_check_interval_larger_than_epoch():
    with pytest.raises(ValueError, match="val_check_interval"):
        _fit(val_check_interval=20)


def test_check_val_every_n_epoch():
    _, m = _fit(max_epochs=4, check_val_every_n_epoch=2, num_sanity_val_steps=0)
    assert m.val_runs == 2


def test_fast_dev_run():
    t, m = _fit(fast_dev_run=2, max_epochs=5)
    assert m.train_batches == 2 and m.val_batches == 2 and t.global_step == 2


def test_overfit_batches_turns_off_shuffling():
    model = Counting()
    t = trainer(overfit_batches=2, num_sanity_val_steps=0, max_epochs=2)
    with pytest.warns(UserWarning, match="shuffling"):
        t.fit(model, loader(32, shuffle=True), loader(16))
    assert model.train_batches == 4 and model.val_batches == 4


def test_should_stop_respects_min_epochs():
    class Stopper(Counting):
        def on_train_epoch_end(self):
            self.trainer.should_stop = True

    model = Stopper()
    t = trainer(max_epochs=10, min_epochs=3, num_sanity_val_steps=0)
    t.fit(model, loader(32))
    assert t.current_epoch == 3


def test_on_train_batch_start_minus_one_skips_the_rest_of_the_epoch():
    class Skipper(Counting):
        def on_train_batch_start(self, batch, batch_idx):
            return -1 if batch_idx == 2 else None

    model = Skipper()
    trainer(max_epochs=2).fit(model, loader(32))
    assert model.train_batches == 4


def test_reload_dataloaders_every_n_epochs():
    class Reloading(Counting):
        loads = 0

        def train_dataloader(self):
            self.loads += 1
            return loader(8)

    model = Reloading()
    trainer(max_epochs=4, reload_dataloaders_every_n_epochs=2).fit(model)
    assert model.loads == 2


@pytest.mark.parametrize("kwargs", [{"limit_train_batches": 1.5}, {"limit_val_batches": -1},
                                    {"accumulate_grad_batches": 0}, {"gradient_clip_algorithm": "max"},
                                    {"check_val_every_n_epoch": 0}, {"fast_dev_run": -1}])
def test_bad_trainer_arguments(kwargs):
    with pytest.raises(MisconfigurationException):
        L.Trainer(logger=False, **kwargs)


def test_gradient_clip_val_type():
    with pytest.raises(TypeError, match="gradient_clip_val"):
        L.Trainer(logger=False, gradient_clip_val="1")


def test_limit_fraction_below_one_batch():
    with pytest.raises(MisconfigurationException, match="limit_train_batches"):
        _fit(limit_train_batches=0.01)
