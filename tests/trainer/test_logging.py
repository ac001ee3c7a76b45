"""``self.log`` semantics: defaults by hook, _step/_epoch forks, batch-size weighted epoch means, reductions,
where values land (callback / logged / progress bar metrics), and clear errors for bad values."""
import pytest
import torch

from lightning.pytorch.utilities.exceptions import MisconfigurationException
from tests.trainer.helpers import Regressor, loader, trainer


class Logs(Regressor):
    def __init__(self, log_fn):
        super().__init__()
        self.log_fn = log_fn

    def training_step(self, batch, batch_idx):
        loss = self.loss(batch)
        self.log_fn(self, "train", batch, batch_idx)
        return loss

    def validation_step(self, batch, batch_idx):
        self.log_fn(self, "val", batch, batch_idx)


def _fit(log_fn, **kwargs):
    model = Logs(log_fn)
    t = trainer(**kwargs)
    t.fit(model, loader(12, batch_size=4), loader(10, batch_size=4))  # val batches of 4, 4, 2
    return t


def test_defaults_by_hook_and_forked_names():
    def log(m, stage, batch, i):
        m.log(f"{stage}_a", float(i))
        m.log(f"{stage}_b", float(i), on_step=True, on_epoch=True, prog_bar=True)

    t = _fit(log, num_sanity_val_steps=0)
    cb = t.callback_metrics
    # training: on_step by default -> "train_a" is the last step value; both forks exist for "train_b"
    assert cb["train_a"] == 2.0
    assert cb["train_b_step"] == 2.0 and cb["train_b_epoch"] == pytest.approx(1.0) and cb["train_b"] == pytest.approx(1.0)
    # validation: on_epoch by default, mean weighted by batch size: (0*4 + 1*4 + 2*2) / 10
    assert cb["val_a"] == pytest.approx(0.8)
    assert cb["val_b_epoch"] == pytest.approx(0.8) and "val_b_step" not in cb
    assert {"train_b_step", "train_b_epoch", "val_b_epoch"} <= set(t.progress_bar_metrics)
    assert isinstance(t.progress_bar_metrics["train_b_step"], float)


@pytest.mark.parametrize("reduce_fx, expected", [("sum", 3.0), ("max", 2.0), ("min", 0.0), (torch.mean, 1.0)])
def test_reductions(reduce_fx, expected):
    def log(m, stage, batch, i):
        if stage == "train":
            m.log("v", float(i), on_step=False, on_epoch=True, reduce_fx=reduce_fx, batch_size=1)

    assert _fit(log).callback_metrics["v"] == pytest.approx(expected)


def test_explicit_batch_size_weights_the_mean():
    def log(m, stage, batch, i):
        if stage == "train":
            m.log("w", float(i), on_epoch=True, on_step=False, batch_size=i + 1)

    # (0*1 + 1*2 + 2*3) / 6
    assert _fit(log).callback_metrics["w"] == pytest.approx(8 / 6)


def test_logger_false_keeps_it_out_of_logged_metrics():
    def log(m, stage, batch, i):
        m.log("hidden", 1.0, logger=False)
        m.log("shown", 2.0)

    t = _fit(log)
    assert "hidden" in t.callback_metrics and "hidden" not in t.logged_metrics and "shown" in t.logged_metrics


def test_values_stay_tensors_until_asked():
    def log(m, stage, batch, i):
        m.log("t", torch.tensor(3.0))

    t = _fit(log)
    assert isinstance(t.callback_metrics["t"], torch.Tensor) and not t.callback_metrics["t"].requires_grad


@pytest.mark.parametrize(
    "value, error, match",
    [
        (torch.ones(3), ValueError, "single-element"),
        ({"a": 1.0}, ValueError, "log_dict"),
        ("text", ValueError, "number"),
    ],
)
def test_bad_values(value, error, match):
    def log(m, stage, batch, i):
        m.log("bad", value)

    with pytest.raises(error, match=match):
        _fit(log)


def test_unknown_reduce_fx():
    def log(m, stage, batch, i):
        m.log("x", 1.0, reduce_fx="median")

    with pytest.raises(MisconfigurationException, match="reduce_fx"):
        _fit(log)


def test_on_step_not_allowed_in_epoch_end():
    class M(Regressor):
        def on_train_epoch_end(self):
            self.log("x", 1.0, on_step=True)

    with pytest.raises(MisconfigurationException, match="on_step"):
        trainer().fit(M(), loader())


def test_no_logging_from_configure_optimizers():
    class M(Regressor):
        def configure_optimizers(self):
            self.log("x", 1.0)
            return super().configure_optimizers()

    with pytest.raises(MisconfigurationException, match="configure_optimizers"):
        trainer().fit(M(), loader())


def test_log_dict_and_nan_is_logged_as_is():
    def log(m, stage, batch, i):
        m.log_dict({"p": 1.0, "q": float("nan")})

    cb = _fit(log).callback_metrics
    assert cb["p"] == 1.0 and torch.isnan(cb["q"])


def test_log_every_n_steps_controls_logger_steps(tmp_path):
    from lightning.pytorch.loggers import CSVLogger

    model = Regressor()
    t = trainer(logger=CSVLogger(tmp_path), log_every_n_steps=2, max_epochs=1)
    t.fit(model, loader(24, batch_size=4))
    text = (tmp_path / "lightning_logs" / "version_0" / "metrics.csv").read_text().splitlines()
    steps = [int(line.split(",")[1]) for line in text[1:]]
    assert steps == [1, 3, 5]  # batches 2, 4, 6 of 6: logged at steps 1, 3, 5 (0-based)
