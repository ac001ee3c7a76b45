"""Strategy names accepted by ``Trainer(strategy=...)`` beyond "auto" / "single_device".

``StrategyRegistry`` is the public registry of Lightning 2.x (``register(name, cls, description, **init_params)``,
``get(name)``, ``available_strategies()``); ``STRATEGY_FACTORIES`` is the view the Trainer's device resolution uses:
name -> a function that builds the strategy from the resolved ``DeviceSetup``.
"""
from typing import Any, Callable, Optional

STRATEGY_FACTORIES: dict = {}


class _StrategyRegistry(dict):
    """name -> {"strategy": class, "init_params": kwargs, "description": str, "strategy_name": name}."""

    def register(self, name: str, strategy: Optional[Callable] = None, description: Optional[str] = None,
                 override: bool = False, **init_params: Any) -> Callable:
        """Register ``strategy`` (a class or factory) under ``name``; usable as a decorator when ``strategy`` is
        omitted. ``init_params`` are passed to it when the name is used."""
        if not (name is None or isinstance(name, str)):
            raise TypeError(f"`name` must be a str, got {name!r}")
        if name in self and not override:
            raise ValueError(f"'{name}' is already registered. Pass `override=True` to replace it.")

        def do_register(strategy: Callable) -> Callable:
            self[name] = {"strategy": strategy, "description": description, "init_params": init_params,
                          "strategy_name": name}
            STRATEGY_FACTORIES[name] = lambda setup: strategy(**init_params)
            return strategy

        if strategy is not None:
            return do_register(strategy)
        return do_register

    def get(self, name: str, default: Optional[Any] = None) -> Any:
        """A new strategy object for ``name`` (built with its registered ``init_params``)."""
        if name in self:
            data = self[name]
            return data["strategy"](**data["init_params"])
        if default is not None:
            return default
        raise KeyError(f"'{name}' not found in the strategy registry. Available names: {', '.join(sorted(self))}")

    def remove(self, name: str) -> None:
        self.pop(name)
        STRATEGY_FACTORIES.pop(name, None)

    def available_strategies(self) -> list:
        return list(self.keys())

    def __str__(self) -> str:
        return "Registered Strategies: {}".format(", ".join(self.keys()))


StrategyRegistry = _StrategyRegistry()


def register_strategy(name: str, factory: Callable[[Any], Any]) -> None:
    """Register a factory that receives the Trainer's resolved ``DeviceSetup`` (for strategies that need it)."""
    STRATEGY_FACTORIES[name] = factory
