"""TQDMProgressBar: what it draws, how often it redraws, and the pieces that match the real 2.6.6."""
import pickle

import pytest

from lightning.pytorch.callbacks.progress import ProgressBar, TQDMProgressBar
from lightning.pytorch.callbacks.progress.progress_bar import get_standard_metrics
from lightning.pytorch.callbacks.progress.tqdm_progress import Tqdm, convert_inf

from .fake_trainer import FakeLogger, fake_trainer, run_fit, run_test
from .reference import extra


def test_number_padding_matches_reference():
    for number, text in extra()["progress"]["format_num"]:
        assert Tqdm.format_num(number) == text, number


def test_standard_metrics_match_reference():
    for case in extra()["progress"]["standard_metrics"]:
        trainer = fake_trainer()
        trainer.loggers = [FakeLogger(v) for v in case["versions"]]
        assert get_standard_metrics(trainer) == case["metrics"], case
    trainer = fake_trainer(version=None)
    assert get_standard_metrics(trainer) == extra()["progress"]["standard_metrics_no_logger"]


def test_fit_draws_epoch_bars_with_metrics(capsys):
    run_fit(TQDMProgressBar(), fake_trainer(batches=20, metrics={"loss": 0.25}), epochs=2)
    out = capsys.readouterr().out
    assert "Sanity Checking DataLoader 0" in out
    assert "Epoch 0: 100%" in out and "Epoch 1: 100%" in out
    assert "20/20" in out and "v_num=0" in out and "loss=0.250" in out
    assert "Validation DataLoader 0" in out


def test_test_bar_per_dataloader(capsys):
    run_test(TQDMProgressBar(), fake_trainer(), dataloaders=2)
    out = capsys.readouterr().out
    assert "Testing DataLoader 0" in out and "Testing DataLoader 1" in out


def test_redraws_are_throttled_but_the_last_batch_is_drawn():
    bar = TQDMProgressBar()
    trainer = fake_trainer(batches=3000)
    metric_reads = []
    original = bar.get_metrics
    bar.get_metrics = lambda *a: metric_reads.append(1) or original(*a)
    seen = []
    run_fit(bar, trainer, on_batch=lambda i: seen.append(bar._train_progress_bar.n if i else 0))
    assert len(metric_reads) < 100  # 3000 batches in well under 10 s: a handful of redraws, not 3000
    assert bar._train_progress_bar.n == 3000
    assert seen[1:] == list(range(1, 3000))  # the counter itself still follows every batch


def test_refresh_rate_steps_the_counter():
    bar = TQDMProgressBar(refresh_rate=7)
    counts = []
    run_fit(bar, fake_trainer(batches=20), on_batch=lambda i: counts.append(bar._train_progress_bar.n))
    assert counts == [0] * 7 + [7] * 7 + [14] * 6  # n before each batch; the last batch (20) is always drawn
    assert bar._train_progress_bar.n == 20


def test_refresh_rate_zero_draws_nothing(capsys):
    bar = TQDMProgressBar(refresh_rate=0)
    assert bar.is_disabled
    run_fit(bar, fake_trainer())
    assert capsys.readouterr().out == ""


def test_disable_off_rank_zero(capsys):
    trainer = fake_trainer()
    trainer.is_global_zero = False
    run_fit(TQDMProgressBar(), trainer)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("rate", [-1, 1.5])
def test_bad_refresh_rate(rate):
    with pytest.raises(ValueError, match="refresh_rate"):
        TQDMProgressBar(refresh_rate=rate)


def test_print_goes_through_the_active_bar(capsys):
    bar = TQDMProgressBar()
    trainer = fake_trainer()
    bar.setup(trainer, None, "fit")
    bar.on_train_start(trainer, None)
    bar.on_train_epoch_start(trainer, None)
    bar.print("hello", "world")
    bar.on_train_end(trainer, None)
    assert "hello world\n" in capsys.readouterr().out


def test_logged_v_num_overrides_with_a_warning():
    trainer = fake_trainer(metrics={"v_num": 9})
    with pytest.warns(UserWarning, match="v_num"):
        assert TQDMProgressBar().get_metrics(trainer, None) == {"v_num": 9}


def test_bars_are_not_pickled():
    bar = TQDMProgressBar()
    trainer = fake_trainer()
    bar.setup(trainer, None, "fit")
    bar.on_train_start(trainer, None)
    clone = pickle.loads(pickle.dumps(bar))
    assert clone._train_progress_bar is None and clone.refresh_rate == 1
    bar.on_train_end(trainer, None)


def test_bar_references_before_creation_are_clear_errors():
    with pytest.raises(TypeError, match="not been created"):
        TQDMProgressBar().train_progress_bar


def test_convert_inf():
    assert [convert_inf(x) for x in (None, float("inf"), float("nan"), 5)] == [None, None, None, 5]


def test_base_class_contract():
    base = ProgressBar()
    with pytest.raises(TypeError, match="setup"):
        base.trainer
    with pytest.raises(NotImplementedError):
        base.disable()
    trainer = fake_trainer(batches=50)
    trainer.max_epochs, trainer.max_steps, trainer.global_step = -1, 30, 10
    base._trainer = trainer
    assert base.total_train_batches == 20  # no more than the steps left
    assert base.total_val_batches == 3
    trainer.check_val_every_n_epoch = 2
    assert base.total_val_batches == 0  # epoch 0 does not validate when validating every 2nd epoch
    assert base.has_dataloader_changed(0) and not base.has_dataloader_changed(0) and base.has_dataloader_changed(1)


def test_unknown_length_shows_a_question_mark(capsys):
    bar = TQDMProgressBar()
    run_fit(bar, fake_trainer(batches=float("inf")), stop_after=5)
    assert bar._train_progress_bar.total is None
    assert "5/?" in capsys.readouterr().out
