"""Manual optimization, devices and precision resolution, init_module / configure_model."""
import pytest
import torch
from torch import nn

import lightning as L
from lightning.pytorch.utilities.exceptions import MisconfigurationException
from tests.trainer.helpers import Regressor, loader, trainer


class TwoOptimizers(Regressor):
    def __init__(self):
        super().__init__()
        self.automatic_optimization = False
        self.other = nn.Linear(4, 1)

    def training_step(self, batch, batch_idx):
        opt_a, opt_b = self.optimizers()
        sch = self.lr_schedulers()
        x, y = batch
        self.toggle_optimizer(opt_a)
        assert all(not p.requires_grad for p in self.other.parameters())
        loss_a = nn.functional.mse_loss(self(x), y)
        self.manual_backward(loss_a)
        opt_a.step()
        opt_a.zero_grad()
        self.untoggle_optimizer(opt_a)
        assert all(p.requires_grad for p in self.other.parameters())
        loss_b = nn.functional.mse_loss(self.other(x), y)
        self.manual_backward(loss_b)
        opt_b.step()
        opt_b.zero_grad()
        sch.step()
        self.log("loss_b", loss_b)
        return loss_a

    def configure_optimizers(self):
        a = torch.optim.SGD(self.layer.parameters(), lr=0.1)
        b = torch.optim.SGD(self.other.parameters(), lr=0.1)
        return [a, b], [torch.optim.lr_scheduler.StepLR(b, step_size=1, gamma=0.9)]


def test_manual_optimization_with_two_optimizers():
    model = TwoOptimizers()
    t = trainer(max_epochs=1)
    t.fit(model, loader())
    # global_step counts optimizer steps: two per batch
    assert t.global_step == 16
    assert t.optimizers[1].param_groups[0]["lr"] == pytest.approx(0.1 * 0.9**8)
    assert "loss_b" in t.callback_metrics


def test_manual_backward_in_automatic_mode_is_an_error():
    class M(Regressor):
        def training_step(self, batch, batch_idx):
            self.manual_backward(self.loss(batch))

    with pytest.raises(MisconfigurationException, match="manual optimization"):
        trainer().fit(M(), loader())


def test_manual_optimization_rejects_trainer_clipping_and_accumulation():
    with pytest.raises(MisconfigurationException, match="clip"):
        trainer(gradient_clip_val=1.0).fit(TwoOptimizers(), loader())
    with pytest.raises(MisconfigurationException, match="accumulation"):
        trainer(accumulate_grad_batches=2).fit(TwoOptimizers(), loader())


@pytest.mark.parametrize("accelerator", ["cpu", "auto"])
def test_cpu_resolution(accelerator):
    t = L.Trainer(accelerator=accelerator, devices=1, logger=False)
    assert type(t.accelerator).__name__ == "CPUAccelerator" and t.num_devices == 1
    assert t.strategy.root_device == torch.device("cpu")


@pytest.mark.parametrize(("devices", "error"), [(0, MisconfigurationException), ("0", MisconfigurationException),
                                                ([0], TypeError), ("x", TypeError), (-1, TypeError)])
def test_bad_cpu_devices(devices, error):
    # as 2.6.6: zero devices is a configuration error; anything but a positive count is the CPU's TypeError
    with pytest.raises(error):
        L.Trainer(accelerator="cpu", devices=devices, logger=False)


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the no-GPU error")
@pytest.mark.parametrize("accelerator,phrase", [("gpu", "No supported gpu backend found"), ("cuda", "not available")])
def test_gpu_without_gpu_is_a_clear_error(accelerator, phrase):
    with pytest.raises(MisconfigurationException, match=phrase):
        L.Trainer(accelerator=accelerator, devices=1)


def test_unknown_accelerator_strategy_precision():
    with pytest.raises(ValueError, match="invalid accelerator name: `accelerator='tpu-ish'`"):
        L.Trainer(accelerator="tpu-ish")
    with pytest.raises(ValueError, match="invalid strategy name: `strategy='magic'`"):
        L.Trainer(strategy="magic")
    with pytest.raises(ValueError, match="Precision"):
        L.Trainer(precision="8-bit")


class DtypeProbe(Regressor):
    def training_step(self, batch, batch_idx):
        x, _ = batch
        self.seen = (x.dtype, self(x).dtype, self.layer.weight.dtype)
        return super().training_step(batch, batch_idx)


@pytest.mark.parametrize(
    "precision, expected",
    [
        ("32-true", (torch.float32, torch.float32, torch.float32)),
        ("64-true", (torch.float64, torch.float64, torch.float64)),
        ("bf16-mixed", (torch.float32, torch.bfloat16, torch.float32)),
        ("bf16-true", (torch.bfloat16, torch.bfloat16, torch.bfloat16)),
    ],
)
def test_precision_on_cpu(precision, expected):
    model = DtypeProbe()
    t = trainer(precision=precision, max_steps=1)
    assert t.precision == precision
    t.fit(model, loader())
    assert model.seen == expected


def test_16_mixed_on_cpu_falls_back_to_bf16_with_a_warning():
    with pytest.warns(UserWarning, match="bf16-mixed"):
        t = L.Trainer(accelerator="cpu", precision="16-mixed", logger=False)
    assert t.precision == "bf16-mixed"


def test_init_module_builds_in_the_target_dtype():
    t = L.Trainer(accelerator="cpu", precision="64-true", logger=False)
    with t.init_module():
        layer = nn.Linear(2, 2)
    assert layer.weight.dtype == torch.float64 and layer.weight.device.type == "cpu"


def test_configure_model_runs_before_optimizers():
    class Lazy(Regressor):
        def __init__(self):
            super().__init__()
            del self.layer
            self.calls = 0

        def configure_model(self):
            self.calls += 1
            if not hasattr(self, "layer"):
                self.layer = nn.Linear(4, 1)

    model = Lazy()
    t = trainer(max_epochs=1)
    t.fit(model, loader())
    t.validate(model, loader(8), verbose=False)
    assert model.calls == 2 and t.global_step == 8


def test_model_and_batches_moved_automatically():
    class Probe(Regressor):
        def training_step(self, batch, batch_idx):
            assert batch[0].device == self.device
            return super().training_step(batch, batch_idx)

    model = Probe()
    trainer(max_steps=2).fit(model, loader())
    assert model.device.type == "cpu"
