"""Scenarios run under the real lightning 2.6.6 and under ours by test_run_checks_vs_real.py; prints one JSON object
mapping each case to [the exception or warning class name, its message] (or a value the case observes)."""
import json
import sys
import tempfile
import warnings

import torch

import lightning.pytorch as pl
from lightning.pytorch.callbacks import GradientAccumulationScheduler
from lightning.pytorch.core.optimizer import LightningOptimizer
from lightning.pytorch.demos.boring_classes import BoringModel


def _trainer(**kwargs):
    base = dict(default_root_dir=tempfile.mkdtemp(), enable_progress_bar=False, enable_model_summary=False,
                logger=False, enable_checkpointing=False, max_epochs=1, limit_train_batches=1, limit_val_batches=1)
    return pl.Trainer(**{**base, **kwargs})


def _raised(fn):
    try:
        fn()
    except Exception as err:  # noqa: BLE001
        return [type(err).__name__, str(err)]
    return None


def _warned(fn, category=Warning):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn()
    return [[type(w.message).__name__, str(w.message)] for w in caught if issubclass(w.category, category)]


class _OptimizerIdx(BoringModel):
    def training_step(self, batch, batch_idx, optimizer_idx):
        return super().training_step(batch, batch_idx)


class _TwoOptimizers(BoringModel):
    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.1), torch.optim.SGD(self.parameters(), lr=0.1)


class _LogIn(BoringModel):
    def __init__(self, hook):
        super().__init__()
        self.hook = hook

    def configure_callbacks(self):
        if self.hook == "configure_callbacks":
            self.log("x", 1.0)
        return []

    def setup(self, stage):
        if self.hook == "setup":
            self.log("x", 1.0)


def _without(attr):
    model = BoringModel()
    setattr(model, attr, None)
    return model


def run():
    out = {
        "optimizer_idx": _raised(lambda: _trainer().fit(_OptimizerIdx())),
        "two_optimizers": _raised(lambda: _trainer().fit(_TwoOptimizers())),
        "predict_step_none": _raised(lambda: _trainer().predict(_without("predict_step"))),
        "forward_none": _raised(lambda: _trainer().predict(_without("forward"))),
        "validation_step_none": _raised(lambda: _trainer().validate(_without("validation_step"))),
        "log_in_configure_callbacks": _raised(lambda: _trainer().fit(_LogIn("configure_callbacks"))),
        "log_in_setup": _raised(lambda: _trainer().fit(_LogIn("setup"))),
        "log_in_predict_setup": _raised(lambda: _trainer().predict(_LogIn("setup"))),
        "log_without_trainer": _warned(lambda: BoringModel().log("x", 1.0), UserWarning),
        "max_epochs_unset": [w for w in _warned(lambda: _trainer(max_epochs=None).fit(BoringModel()))
                             if "max_epochs" in w[1]],
    }
    frozen = BoringModel()
    frozen.layer.eval()
    out["eval_mode_at_fit_start"] = [w for w in _warned(lambda: _trainer().fit(frozen)) if "eval mode" in w[1]]
    manual = BoringModel()
    manual.automatic_optimization = False
    out["accumulation_scheduler_manual"] = _raised(
        lambda: GradientAccumulationScheduler({1: 2}).on_train_start(pl.Trainer(logger=False), manual))

    sgd = torch.optim.SGD(torch.nn.Linear(3, 2).parameters(), lr=0.1)
    wrapped = LightningOptimizer(sgd)
    wrapped.load_state_dict({**sgd.state_dict(), "param_groups": [{**sgd.state_dict()["param_groups"][0], "lr": 0.5}]})
    out["lightning_optimizer"] = [
        repr(wrapped) == "Lightning" + repr(sgd), type(wrapped).__name__, isinstance(wrapped, torch.optim.SGD),
        isinstance(wrapped, LightningOptimizer), wrapped.param_groups[0]["lr"],
        wrapped.state_dict()["param_groups"][0]["lr"],
    ]
    return out


if __name__ == "__main__":
    print(json.dumps(run()))
    sys.exit(0)
