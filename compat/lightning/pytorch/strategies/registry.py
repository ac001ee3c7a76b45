"""Strategy names accepted by ``Trainer(strategy=...)`` beyond "auto" / "single_device".

``StrategyRegistry`` is the public registry of Lightning 2.x (``register(name, cls, description, **init_params)``,
``get(name)``, ``available_strategies()``); ``STRATEGY_FACTORIES`` is the view the Trainer's device resolution uses:
name -> a function that builds the strategy from the resolved ``DeviceSetup``.

The built-in distributed strategies register their names when their module is imported. Those modules are imported
the first time anyone asks the registry for its names (:func:`load_built_in_strategies`), not when ``lightning`` is
imported: the default single-device run never needs them.
"""
import importlib
from typing import Any, Callable, Optional

STRATEGY_FACTORIES: dict = {}

# Modules that register names on import ("ddp", "ddp_spawn", ..., "fsdp", "fsdp_cpu_offload", "deepspeed_stage_2" ...).
_BUILT_IN_MODULES = ("lightning.pytorch.strategies.ddp", "lightning.pytorch.strategies.fsdp",
                     "lightning.pytorch.strategies.deepspeed")
_built_ins_loaded = False


def load_built_in_strategies() -> None:
    """Import the built-in strategy modules (once), so that every built-in name is registered."""
    global _built_ins_loaded
    if _built_ins_loaded:
        return
    _built_ins_loaded = True  # first: the modules' own registrations call back into the registry
    for module in _BUILT_IN_MODULES:
        importlib.import_module(module)


def strategy_factories() -> dict:
    """``STRATEGY_FACTORIES`` with the built-in names loaded."""
    load_built_in_strategies()
    return STRATEGY_FACTORIES


class _StrategyRegistry(dict):
    """name -> {"strategy": class, "init_params": kwargs, "description": str, "strategy_name": name}.

    Every way of reading the names first loads the built-in strategies."""

    def register(self, name: str, strategy: Optional[Callable] = None, description: Optional[str] = None,
                 override: bool = False, **init_params: Any) -> Callable:
        """Register ``strategy`` (a class or factory) under ``name``; usable as a decorator when ``strategy`` is
        omitted. ``init_params`` are passed to it when the name is used."""
        if not (name is None or isinstance(name, str)):
            raise TypeError(f"`name` must be a str, got {name!r}")
        if dict.__contains__(self, name) and not override:
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
        load_built_in_strategies()
        if name in self:
            data = self[name]
            return data["strategy"](**data["init_params"])
        if default is not None:
            return default
        raise KeyError(f"'{name}' not found in the strategy registry. Available names: {', '.join(sorted(self))}")

    def remove(self, name: str) -> None:
        load_built_in_strategies()
        self.pop(name)
        STRATEGY_FACTORIES.pop(name, None)

    def available_strategies(self) -> list:
        return list(self.keys())

    def __str__(self) -> str:
        return "Registered Strategies: {}".format(", ".join(self.keys()))

    # the dict views, each after loading the built-in names
    def __contains__(self, name: object) -> bool:
        load_built_in_strategies()
        return super().__contains__(name)

    def __getitem__(self, name: str) -> dict:
        load_built_in_strategies()
        return super().__getitem__(name)

    def __iter__(self):
        load_built_in_strategies()
        return super().__iter__()

    def __len__(self) -> int:
        load_built_in_strategies()
        return super().__len__()

    def __repr__(self) -> str:
        load_built_in_strategies()
        return super().__repr__()

    def keys(self):
        load_built_in_strategies()
        return super().keys()

    def values(self):
        load_built_in_strategies()
        return super().values()

    def items(self):
        load_built_in_strategies()
        return super().items()


StrategyRegistry = _StrategyRegistry()


def register_strategy(name: str, factory: Callable[[Any], Any]) -> None:
    """Register a factory that receives the Trainer's resolved ``DeviceSetup`` (for strategies that need it)."""
    STRATEGY_FACTORIES[name] = factory
