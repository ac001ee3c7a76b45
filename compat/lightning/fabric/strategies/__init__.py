"""Fabric's strategies: the Trainer's implementations, constructed the Fabric way (``precision=`` instead of
``precision_plugin=``; see :mod:`._spelling`).

``Fabric(strategy="ddp")`` and ``Trainer(strategy="ddp")`` resolve through the same registry to the same class;
:mod:`.loop` adapts a strategy to a hand-written loop. Everything but the registry is imported on first use.
"""
from lightning.fabric.strategies.registry import STRATEGY_REGISTRY
from lightning.fabric.utilities.lazy import lazy_exports

_HOMES = {"DDPStrategy": "ddp", "DataParallelStrategy": "dp", "DeepSpeedStrategy": "deepspeed",
          "FSDPStrategy": "fsdp", "ModelParallelStrategy": "model_parallel", "ParallelStrategy": "parallel",
          "SingleDeviceStrategy": "single_device", "SingleDeviceXLAStrategy": "single_xla", "Strategy": "strategy",
          "XLAFSDPStrategy": "xla_fsdp", "XLAStrategy": "xla"}
__all__ = ["STRATEGY_REGISTRY", *sorted(_HOMES)]
__getattr__, __dir__ = lazy_exports(__name__, _HOMES)
