"""Fabric's strategies: the Trainer's classes (one implementation, two front doors).

``Fabric(strategy="ddp")`` and ``Trainer(strategy="ddp")`` resolve through the same registry to the same class;
:mod:`.loop` adapts a strategy to a hand-written loop. Distributed classes are imported on first use.
"""
from lightning.fabric.strategies.registry import STRATEGY_REGISTRY
from lightning.pytorch.strategies.strategy import SingleDeviceStrategy, Strategy

__all__ = ["STRATEGY_REGISTRY", "DDPStrategy", "FSDPStrategy", "ParallelStrategy", "SingleDeviceStrategy",
           "Strategy"]

_DISTRIBUTED = {"DDPStrategy": "ddp", "FSDPStrategy": "fsdp", "ParallelStrategy": "parallel"}


def __getattr__(name: str):
    if name in _DISTRIBUTED:
        import importlib

        module = importlib.import_module(f"lightning.pytorch.strategies.{_DISTRIBUTED[name]}")
        return getattr(module, name)
    raise AttributeError(f"module 'lightning.fabric.strategies' has no attribute {name!r}")
