"""``StrategyRegistry``: the strategy names ``Trainer(strategy=...)`` accepts beyond "auto" / "single_device".

The registry class is the engine's (``lightning.fabric.strategies.registry``); this instance builds the Trainer's
strategy classes. ``STRATEGY_FACTORIES`` is its view for the device resolution (name -> factory of the resolved
setup). The built-in distributed strategies register their names when their module is imported, which happens the
first time anyone asks the registry for its names.
"""
from typing import Any, Callable

from lightning.fabric.strategies.registry import _StrategyRegistry

StrategyRegistry = _StrategyRegistry(("lightning.pytorch.strategies.ddp", "lightning.pytorch.strategies.fsdp",
                                      "lightning.pytorch.strategies.deepspeed"))
STRATEGY_FACTORIES = StrategyRegistry.factories


def load_built_in_strategies() -> None:
    """Import the built-in strategy modules (once), so that every built-in name is registered."""
    StrategyRegistry._load_built_ins()


def strategy_factories() -> dict:
    """``STRATEGY_FACTORIES`` with the built-in names loaded."""
    load_built_in_strategies()
    return STRATEGY_FACTORIES


def register_strategy(name: str, factory: Callable[[Any], Any]) -> None:
    """Register a factory that receives the Trainer's resolved ``DeviceSetup`` (for strategies that need it)."""
    StrategyRegistry.register_factory(name, factory)
