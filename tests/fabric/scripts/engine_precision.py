"""Run under our package and under the real lightning 2.6.6 (tests/fabric/test_engine.py): prints, as JSON, what
each of Fabric's precision plugins does to inputs, outputs, new tensors and one scaled training step on the CPU,
the accelerator classes' names and registry, where Fabric's SpikeDetection stops a loss sequence, and the loggers
of the seed and rank-zero info lines."""
import json
import os
import tempfile

import torch

from lightning.fabric.accelerators import ACCELERATOR_REGISTRY, CPUAccelerator, CUDAAccelerator, MPSAccelerator
from lightning.fabric.plugins.precision import DoublePrecision, HalfPrecision, MixedPrecision, Precision


def dtypes(data):
    return {k: str(v.dtype) for k, v in data.items()}


def plugins():
    scaler = torch.amp.GradScaler("cpu", init_scale=4.0)
    return {"32-true": Precision(), "64-true": DoublePrecision(), "16-true": HalfPrecision("16-true"),
            "bf16-true": HalfPrecision("bf16-true"), "bf16-mixed": MixedPrecision("bf16-mixed", "cpu"),
            "16-mixed": MixedPrecision("16-mixed", "cpu", scaler=scaler)}


def one_step(plugin):
    torch.manual_seed(0)
    with plugin.module_init_context():
        model = torch.nn.Linear(4, 2)
    model = plugin.convert_module(model)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    x = plugin.convert_input(torch.randn(8, 4))
    with plugin.forward_context():
        out = model(x)
        inside = str(out.dtype)
    loss = plugin.convert_output(out).float().pow(2).mean()
    plugin.pre_backward(loss, model)
    plugin.backward(loss, model)
    plugin.post_backward(loss, model)
    grad_before_unscale = model.weight.grad.float().abs().sum().item()
    plugin.unscale_gradients(optimizer)
    grad = model.weight.grad.float().abs().sum().item()
    plugin.optimizer_step(optimizer)
    return {"param": str(model.weight.dtype), "inside": inside, "out": str(plugin.convert_output(out).dtype),
            "scaled_grad": round(grad_before_unscale, 2), "grad": round(grad, 2),
            "weight": [round(v, 2) for v in model.weight.detach().float().flatten().tolist()],
            "main_params": len(list(plugin.main_params(optimizer))), "state": sorted(plugin.state_dict())}


def spikes():
    from lightning.fabric import Fabric
    from lightning.fabric.utilities.spike import SpikeDetection, TrainingSpikeException

    fabric = Fabric(accelerator="cpu", devices=1)
    out = {}
    for name, losses, kwargs in (("jump", [1.0, 1.0, 1.0, 0.9, 50.0, 1.0], {"warmup": 2}),
                                 ("nan", [1.0, 0.5, float("nan"), 0.4], {}),
                                 ("atol", [1.0, 1.0, 1.5, 9.0, 20.0], {"atol": 10.0, "rtol": None}),
                                 ("max", [1.0, 2.0, 3.0, 0.1], {"mode": "max", "rtol": 0.5})):
        folder = tempfile.mkdtemp()
        detector = SpikeDetection(exclude_batches_path=folder, **kwargs)
        stopped = None
        try:
            for i, loss in enumerate(losses):
                detector.on_train_batch_end(fabric, torch.tensor(loss), None, i)
        except TrainingSpikeException as err:
            stopped = str(err)
        written = os.path.join(folder, "skip_batches.json")
        out[name] = {"stopped": stopped, "bad": detector.bad_batches,
                     "file": json.load(open(written)) if os.path.exists(written) else None}
    return out


def logger_names():
    """Which logger carries the seed line, a rank-zero info line and the Trainer's CUDA line (user filters name
    loggers)."""
    import logging

    from lightning.fabric.utilities.rank_zero import rank_zero_info
    from lightning.fabric.utilities.seed import seed_everything

    names = []

    class Record(logging.Handler):
        def emit(self, record):
            names.append(f"{record.name}: {record.getMessage()}")

    root = logging.getLogger()
    handler, level = Record(), root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    for name in ("lightning.fabric", "lightning.pytorch"):
        logging.getLogger(name).propagate = True
    try:
        seed_everything(1)
        rank_zero_info("info")
        from lightning.pytorch.accelerators import CUDAAccelerator

        os.environ["CUDA_VISIBLE_DEVICES"] = "3,1"
        CUDAAccelerator.set_nvidia_flags(2)  # the Trainer's per-rank line about the GPUs a process sees
        names.append(os.environ["CUDA_DEVICE_ORDER"])
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    return names


def main():
    result = {}
    for name, plugin in plugins().items():
        with plugin.tensor_init_context():
            new = torch.empty(1)
        data = {"f32": torch.ones(1), "f64": torch.ones(1, dtype=torch.float64), "i": torch.ones(1, dtype=torch.long)}
        result[name] = {"precision": plugin.precision, "input": dtypes(plugin.convert_input(data)),
                        "output": dtypes(plugin.convert_output(data)), "new": str(new.dtype),
                        "step": one_step(plugin)}
    result["accelerators"] = {cls.__name__: cls.name() for cls in (CPUAccelerator, CUDAAccelerator, MPSAccelerator)}
    from lightning.pytorch.accelerators import AcceleratorRegistry

    result["trainer_registry"] = sorted(AcceleratorRegistry)
    result["registry"] = {"cpu": type(ACCELERATOR_REGISTRY.get("cpu")).__name__,
                          "names": sorted(ACCELERATOR_REGISTRY)}
    try:
        ACCELERATOR_REGISTRY.register("cpu", CPUAccelerator)
    except Exception as err:  # noqa: BLE001 - the type is what is compared
        result["registry"]["duplicate"] = type(err).__name__
    fused = torch.optim.Adam(torch.nn.Linear(2, 1).parameters(), fused=True)
    try:
        plugins()["16-mixed"].unscale_gradients(fused)  # clipping needs unscaled gradients: refused
    except Exception as err:  # noqa: BLE001 - the type is what is compared
        result["fused_unscale"] = type(err).__name__
    result["spikes"] = spikes()
    result["loggers"] = logger_names()
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main()
