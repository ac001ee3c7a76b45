"""Fabric's strategies: the engine. They own devices, ranks, process groups, collectives, launchers, model wrapping
and checkpoint I/O, with Fabric's API; the Trainer's strategies subclass them and
add the Trainer side. ``STRATEGY_REGISTRY`` holds Fabric's names (the Trainer has its own registry of its classes).
Everything but the registry is imported on first use.
"""
from lightning.fabric.strategies.registry import STRATEGY_REGISTRY
from lightning.fabric.utilities.lazy import lazy_exports

_HOMES = {"DDPStrategy": "ddp", "DataParallelStrategy": "dp", "DeepSpeedStrategy": "deepspeed",
          "FSDPStrategy": "fsdp", "ModelParallelStrategy": "model_parallel", "ParallelStrategy": "parallel",
          "SingleDeviceStrategy": "single_device", "SingleDeviceXLAStrategy": "single_xla", "Strategy": "strategy",
          "XLAFSDPStrategy": "xla_fsdp", "XLAStrategy": "xla"}
__all__ = ["STRATEGY_REGISTRY", *sorted(_HOMES)]
__getattr__, __dir__ = lazy_exports(__name__, _HOMES)
