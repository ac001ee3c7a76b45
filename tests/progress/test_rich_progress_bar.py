"""RichProgressBar: draws the stages with rich, throttles redraws, and honours refresh_rate=0."""
import io
import pickle

import pytest
import rich

from lightning.pytorch.callbacks.progress import RichProgressBar, RichProgressBarTheme

from .fake_trainer import fake_trainer, run_fit, run_test


@pytest.fixture
def console_text():
    buffer = io.StringIO()
    yield buffer
    rich.reconfigure()


def _bar(buffer, **kwargs):
    """A bar drawing into ``buffer`` (through ``console_kwargs``, as a user would redirect it)."""
    console = {"file": buffer, "width": 200, "color_system": None, "force_terminal": False}
    return RichProgressBar(console_kwargs=console, **kwargs)


def test_fit_draws_epoch_and_metrics(console_text):
    run_fit(_bar(console_text), fake_trainer(batches=10, metrics={"loss": 0.25}), epochs=2)
    text = console_text.getvalue()
    assert "Epoch 1/1" in text and "10/10" in text
    assert "loss: 0.250" in text and "v_num: 0" in text


def test_test_stage_draws_a_bar_per_dataloader(console_text):
    bar = _bar(console_text)
    run_test(bar, fake_trainer(), dataloaders=2)
    tasks = [(t.description, t.completed, t.visible) for t in bar.progress.tasks]
    assert tasks == [("Testing", 3, False), ("Testing", 3, True)]  # the first loader's bar hides when the next starts
    assert "Testing" in console_text.getvalue()


def test_metrics_are_read_only_when_a_redraw_is_due(console_text):
    bar = _bar(console_text, refresh_rate=10)
    reads = []
    original = bar.get_metrics
    bar.get_metrics = lambda *a: reads.append(1) or original(*a)
    run_fit(bar, fake_trainer(batches=3000))
    assert len(reads) < 100


def test_refresh_rate_zero_draws_nothing(console_text):
    bar = _bar(console_text, refresh_rate=0)
    run_fit(bar, fake_trainer())
    assert bar.progress is None and console_text.getvalue() == ""


def test_theme_is_applied_and_description_padded(console_text):
    theme = RichProgressBarTheme(description="bold", metrics_format=".1e", metrics_text_delimiter=" | ")
    run_fit(_bar(console_text, theme=theme), fake_trainer(batches=5, metrics={"loss": 0.25, "acc": 0.5}))
    assert "loss: 2.5e-01 | acc: 5.0e-01" in console_text.getvalue()


def test_not_pickled_with_its_console(console_text):
    bar = _bar(console_text)
    trainer = fake_trainer()
    bar.setup(trainer, None, "fit")
    bar.on_train_start(trainer, None)
    clone = pickle.loads(pickle.dumps(bar))
    assert clone.progress is None
    bar.teardown(trainer, None, "fit")


def test_column_classes_at_their_real_module_path():
    from lightning.pytorch.callbacks.progress import rich_progress

    for name in ("BatchesProcessedColumn", "CustomTimeColumn", "MetricsTextColumn", "ProcessingSpeedColumn"):
        assert getattr(rich_progress, name).__name__ == name


def test_unknown_length_pulses_and_shows_dashes(console_text):
    bar = _bar(console_text)
    run_fit(bar, fake_trainer(batches=float("inf")), epochs=1, stop_after=5)
    assert bar.train_progress_bar.total is None
    assert "5/--" in console_text.getvalue()
