"""The direct optimizer step (no forwarding layers when nothing is customised) computes exactly what the full
route through LightningOptimizer -> strategy -> precision plugin computes, and is only taken when it may be."""
import pytest
import torch
from torch import nn

import lightning as L
from tests.trainer.helpers import loader, trainer


class Noisy(L.LightningModule):
    """Dropout + Adam + a step scheduler: every source of state a step touches."""

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(4, 16), nn.Dropout(0.3), nn.ReLU(), nn.Linear(16, 1))

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = nn.functional.mse_loss(self.net(x), y)
        self.log("loss", loss)
        return loss

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=0.01)
        return [opt], [torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)]


class OnBeforeOptimizerStep(L.Callback):
    """Overrides a hook that runs inside the optimizer step: forces the full route."""

    def on_before_optimizer_step(self, trainer, pl_module, optimizer):
        pass


def _fit(callbacks=(), **kwargs):
    torch.manual_seed(0)
    model = Noisy()
    t = trainer(max_epochs=2, callbacks=list(callbacks), **kwargs)
    t.fit(model, loader(shuffle=True))
    return model.state_dict(), t.fit_loop.epoch_loop.automatic_optimization.direct


@pytest.mark.parametrize("kwargs", [{}, {"accumulate_grad_batches": 3}], ids=["plain", "accumulate"])
def test_direct_and_full_route_end_with_identical_weights(kwargs):
    direct_weights, direct = _fit(**kwargs)
    full_weights, full = _fit([OnBeforeOptimizerStep()], **kwargs)
    assert direct is True and full is False
    for name in direct_weights:
        assert torch.equal(direct_weights[name], full_weights[name]), name


class ZeroGradHook(Noisy):
    def on_before_zero_grad(self, optimizer):
        pass


class CustomBackward(Noisy):
    def backward(self, loss, *args, **kwargs):
        loss.backward(*args, **kwargs)


@pytest.mark.parametrize("model_cls, kwargs", [
    (ZeroGradHook, {}),
    (CustomBackward, {}),
    (Noisy, {"gradient_clip_val": 1.0}),
    (Noisy, {"precision": "64-true"}),
    (Noisy, {"profiler": "simple"}),
], ids=["module-hook", "backward-override", "clipping", "precision-plugin", "profiler"])
def test_anything_customised_takes_the_full_route(model_cls, kwargs):
    torch.manual_seed(0)
    t = trainer(max_epochs=1, limit_train_batches=2, **kwargs)
    t.fit(model_cls(), loader())
    assert t.fit_loop.epoch_loop.automatic_optimization.direct is False
