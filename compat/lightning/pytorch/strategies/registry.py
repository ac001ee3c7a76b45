"""Strategy names accepted by ``Trainer(strategy=...)`` beyond "auto" / "single_device".

Each entry builds a strategy from a resolved ``DeviceSetup`` (devices, num_nodes, sync_batchnorm ...). Distributed
strategies register themselves here.
"""
from typing import Any, Callable

STRATEGY_FACTORIES: dict = {}


def register_strategy(name: str, factory: Callable[[Any], Any]) -> None:
    STRATEGY_FACTORIES[name] = factory
