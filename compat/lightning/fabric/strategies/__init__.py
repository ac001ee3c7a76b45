"""Fabric's strategies: the Trainer's classes (one implementation, two front doors).

``Fabric(strategy="ddp")`` and ``Trainer(strategy="ddp")`` resolve through the same registry to the same class;
:mod:`.loop` adapts a strategy to a hand-written loop. Distributed classes are imported on first use.
"""
from lightning.pytorch.strategies.strategy import SingleDeviceStrategy, Strategy

__all__ = ["STRATEGY_REGISTRY", "DDPStrategy", "FSDPStrategy", "ParallelStrategy", "SingleDeviceStrategy",
           "Strategy"]

_DISTRIBUTED = {"DDPStrategy": "ddp", "FSDPStrategy": "fsdp", "ParallelStrategy": "parallel"}


class _StrategyNames:
    """The strategy names ``Fabric(strategy=...)`` accepts, read live from the Trainer's registry."""

    def available_strategies(self) -> list:
        from lightning.pytorch.strategies.registry import STRATEGY_FACTORIES

        return ["auto", "single_device", *STRATEGY_FACTORIES]

    def __contains__(self, name: object) -> bool:
        return name in self.available_strategies()

    def __iter__(self):
        return iter(self.available_strategies())

    def __repr__(self) -> str:
        return f"STRATEGY_REGISTRY({self.available_strategies()})"


STRATEGY_REGISTRY = _StrategyNames()


def __getattr__(name: str):
    if name in _DISTRIBUTED:
        import importlib

        module = importlib.import_module(f"lightning.pytorch.strategies.{_DISTRIBUTED[name]}")
        return getattr(module, name)
    raise AttributeError(f"module 'lightning.fabric.strategies' has no attribute {name!r}")
