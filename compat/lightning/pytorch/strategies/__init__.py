"""Strategies: how and where training runs (one device; several processes via torch.distributed).

The distributed strategies are imported on first use (``lightning.fabric.utilities.lazy.lazy_exports``), as is the
registry's list of built-in names (``registry.load_built_in_strategies``).
"""
from lightning.fabric.utilities.lazy import lazy_exports
from lightning.pytorch.strategies.strategy import SingleDeviceStrategy, Strategy

_HOMES = {"DDPStrategy": "ddp", "FSDPStrategy": "fsdp", "ParallelStrategy": "parallel", "StrategyRegistry": "registry"}
__all__ = ["DDPStrategy", "FSDPStrategy", "ParallelStrategy", "SingleDeviceStrategy", "Strategy", "StrategyRegistry"]
__getattr__, __dir__ = lazy_exports(__name__, _HOMES)
