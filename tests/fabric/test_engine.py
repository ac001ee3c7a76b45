"""lightning.fabric is the engine and the Trainer's accelerators and precision plugins are built on it: Fabric's
classes have 2.6.6's Fabric behaviour (side by side with the real package), the Trainer's subclass them, and the
engine's modules import nothing from lightning.pytorch."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from tests.reference import L2_PYTHON, require

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "fabric" / "scripts" / "engine_precision.py"
NAMES = {"accelerators": ("Accelerator", "CPUAccelerator", "CUDAAccelerator", "MPSAccelerator", "XLAAccelerator"),
         "plugins.precision": ("Precision", "DoublePrecision", "HalfPrecision", "MixedPrecision", "FSDPPrecision",
                               "BitsandbytesPrecision", "TransformerEnginePrecision")}


def _run(python) -> dict:
    out = subprocess.run([str(python), str(SCRIPT)], cwd=ROOT, capture_output=True, text=True, check=True,
                         timeout=300)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_fabric_precision_plugins_and_accelerators_behave_as_2_6_6():
    """Casts of inputs/outputs/new tensors, the forward context, a (scaled) backward, unscale and optimizer step of
    every CPU precision plugin, the accelerators' names and the registry, and where Fabric's SpikeDetection stops
    four loss sequences (and the file it writes), and the loggers of the seed and rank-zero info lines: the same JSON
    as the real package."""
    assert _run(sys.executable) == _run(require(L2_PYTHON))


@pytest.mark.parametrize("package", sorted(NAMES))
def test_trainer_classes_subclass_the_engines(package):
    import importlib

    engine = importlib.import_module(f"lightning.fabric.{package}")
    trainer = importlib.import_module(f"lightning.pytorch.{package}")
    base = NAMES[package][0]
    for name in NAMES[package]:
        engine_cls, trainer_cls = getattr(engine, name), getattr(trainer, name)
        assert engine_cls is not trainer_cls
        # a Trainer object is an instance of the engine's class of the same kind and of the engine's base
        assert issubclass(trainer_cls, engine_cls) and issubclass(trainer_cls, getattr(engine, base))
        # an engine object is not a Trainer plugin/accelerator (the Trainer's hooks are not on it)
        assert not issubclass(engine_cls, getattr(trainer, base))


def test_the_trainers_spike_callback_is_the_engines_detector():
    from lightning.fabric.utilities import spike as engine
    from lightning.pytorch.callbacks import Callback
    from lightning.pytorch.callbacks import spike as trainer

    assert issubclass(trainer.SpikeDetection, engine.SpikeDetection) and issubclass(trainer.SpikeDetection, Callback)
    assert not issubclass(engine.SpikeDetection, Callback)
    assert trainer.TrainingSpikeException is engine.TrainingSpikeException


def test_fabric_and_trainer_build_their_own_classes():
    import lightning as L
    import lightning.fabric.accelerators as fabric_accelerators
    import lightning.fabric.plugins.precision as fabric_precision
    import lightning.pytorch.accelerators as trainer_accelerators
    import lightning.pytorch.plugins.precision as trainer_precision

    assert fabric_accelerators.ACCELERATOR_REGISTRY["cpu"] is fabric_accelerators.CPUAccelerator
    assert trainer_accelerators.AcceleratorRegistry["cpu"] is trainer_accelerators.CPUAccelerator
    fabric = L.Fabric(accelerator="cpu", precision="bf16-mixed")
    assert type(fabric.strategy.precision) is fabric_precision.MixedPrecision
    assert isinstance(fabric.accelerator, fabric_accelerators.CPUAccelerator)
    trainer = L.Trainer(accelerator="cpu", precision="bf16-mixed", logger=False)
    assert type(trainer.precision_plugin) is trainer_precision.MixedPrecision
    assert type(trainer.accelerator) is trainer_accelerators.CPUAccelerator
    # Fabric takes the engine's accelerator objects as given
    given = fabric_accelerators.CPUAccelerator()
    assert L.Fabric(accelerator=given).accelerator is given


def test_trainer_plugins_keep_the_trainers_step_api_and_no_batch_cast_under_autocast():
    import inspect

    from lightning.fabric.plugins.precision import MixedPrecision as EngineMixed
    from lightning.fabric.plugins.precision import Precision as EnginePrecision
    from lightning.pytorch.plugins.precision import MixedPrecision

    plugin = MixedPrecision("bf16-mixed", "cpu")
    assert list(inspect.signature(plugin.optimizer_step).parameters) == ["optimizer", "model", "closure", "kwargs"]
    assert list(inspect.signature(EngineMixed("bf16-mixed", "cpu").optimizer_step).parameters) == ["optimizer",
                                                                                                  "kwargs"]
    # the Trainer leaves batches to autocast (the training loop skips the engine's no-op cast): Fabric casts them
    assert MixedPrecision.convert_input is EnginePrecision.convert_input
    assert plugin.convert_input(torch.ones(1)).dtype == torch.float32
    assert EngineMixed("bf16-mixed", "cpu").convert_input(torch.ones(1)).dtype == torch.bfloat16


def test_a_trainer_plugin_given_to_fabric_still_steps_without_trainer_hooks():
    """2.6.6 accepts a Trainer plugin in Fabric(plugins=...) but cannot step with it; here the loop adapter runs
    the scaled backward and step around the plugin's own scaler."""
    import lightning as L
    from lightning.pytorch.plugins.precision import MixedPrecision

    scaler = torch.amp.GradScaler("cpu", init_scale=8.0)
    fabric = L.Fabric(accelerator="cpu", plugins=MixedPrecision("16-mixed", "cpu", scaler=scaler))
    torch.manual_seed(0)
    net = torch.nn.Linear(4, 1)
    model, optimizer = fabric.setup(net, torch.optim.SGD(net.parameters(), lr=0.1))
    fabric.backward(model(torch.randn(8, 4)).float().pow(2).mean())
    scaled = net.weight.grad.clone()
    fabric.clip_gradients(model, optimizer, max_norm=1e6)  # unscales first
    torch.testing.assert_close(net.weight.grad * 8.0, scaled)
    before = net.weight.detach().clone()
    optimizer.step()
    assert not torch.equal(before, net.weight)


def test_cuda_setup_names_unused_tensor_cores_once(monkeypatch, caplog):
    """On an Ampere-or-later GPU at the default float32 matmul precision, the CUDA accelerator says (once, an info
    line, as 2.6.6) how to use the Tensor Cores; not after the user chose a precision, not on older GPUs."""
    import logging

    from lightning.fabric.accelerators import cuda

    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda device=None: "NVIDIA H100")
    capability = {"value": (9, 0)}
    monkeypatch.setattr(torch.cuda, "get_device_capability", lambda device=None: capability["value"])
    device = torch.device("cuda", 0)

    def lines(precision="highest"):
        cuda._check_cuda_matmul_precision.cache_clear()
        caplog.clear()
        previous = torch.get_float32_matmul_precision()
        torch.set_float32_matmul_precision(precision)
        try:
            with caplog.at_level(logging.INFO):
                cuda._check_cuda_matmul_precision(device)
                cuda._check_cuda_matmul_precision(device)
        finally:
            torch.set_float32_matmul_precision(previous)
        return [r.getMessage() for r in caplog.records]

    [line] = lines()
    assert "'NVIDIA H100') that has Tensor Cores" in line
    assert "torch.set_float32_matmul_precision('medium' | 'high')" in line
    assert lines("high") == []
    capability["value"] = (7, 5)
    assert lines() == []
    cuda._check_cuda_matmul_precision.cache_clear()


def test_trainer_precision_clips_through_overridable_methods():
    """clip_gradients dispatches to clip_grad_by_value / clip_grad_by_norm over main_params (2.6.6's extension
    points); FSDP's plugin refuses a local-norm clip of sharded parameters, as in 2.6.6."""
    from lightning.pytorch.plugins.precision import FSDPPrecision, MixedPrecision, Precision
    from lightning.pytorch.utilities.exceptions import MisconfigurationException

    calls = []

    class Recording(Precision):
        def clip_grad_by_value(self, optimizer, clip_val):
            calls.append(("value", clip_val))

        def clip_grad_by_norm(self, optimizer, clip_val):
            calls.append(("norm", clip_val))

    net = torch.nn.Linear(3, 1)
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
    plugin = Recording()
    plugin.clip_gradients(optimizer, 0.0)
    plugin.clip_gradients(optimizer, 0.5, "value")
    plugin.clip_gradients(optimizer, 2.0)
    assert calls == [("value", 0.5), ("norm", 2.0)]

    net(torch.ones(4, 3)).sum().backward()
    Precision().clip_gradients(optimizer, 1e-3)
    assert torch.cat([p.grad.flatten() for p in net.parameters()]).norm() == pytest.approx(1e-3, rel=1e-4)
    with pytest.raises(MisconfigurationException, match="`gradient_clip_algorithm='norm'` is currently not supported"):
        FSDPPrecision("32-true").clip_gradients(optimizer, 1.0)
    FSDPPrecision("32-true").clip_gradients(optimizer, 1e-4, "value")
    assert net.weight.grad.abs().max() <= 1e-4
    fused = torch.optim.Adam(net.parameters(), fused=True)
    with pytest.raises(RuntimeError, match="does not allow for gradient clipping"):
        MixedPrecision("bf16-mixed", "cpu").clip_gradients(fused, 1.0)
