"""Strategies: how and where training runs (one device; several processes via torch.distributed).

The distributed strategies are imported on first use (``lightning.fabric.utilities.lazy.lazy_exports``), as is the
registry's list of built-in names (``registry.load_built_in_strategies``). ``DeepSpeedStrategy`` and
``ModelParallelStrategy`` exist with 2.6.6's signatures and explain themselves when used (not driven here).
"""
from lightning.fabric.utilities.lazy import lazy_exports
from lightning.pytorch.strategies.strategy import SingleDeviceStrategy, Strategy

_HOMES = {"DDPStrategy": "ddp", "FSDPStrategy": "fsdp", "ParallelStrategy": "parallel", "StrategyRegistry": "registry",
          "DeepSpeedStrategy": "deepspeed", "ModelParallelStrategy": "model_parallel"}
__all__ = ["DDPStrategy", "DeepSpeedStrategy", "FSDPStrategy", "ModelParallelStrategy", "ParallelStrategy",
           "SingleDeviceStrategy", "Strategy", "StrategyRegistry"]
_getattr, __dir__ = lazy_exports(__name__, _HOMES)


def __getattr__(name: str):
    if name in ("SingleTPUStrategy", "HPUParallelStrategy", "SingleHPUStrategy"):  # see _graveyard
        from lightning.pytorch import _graveyard

        return _graveyard.deprecated(name, __name__)
    return _getattr(name)
