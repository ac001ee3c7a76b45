"""Strategy registries: the names ``strategy=...`` accepts beyond "auto" / "single_device".

``_StrategyRegistry`` is the registry of Lightning 2.x (``register(name, cls, description, **init_params)``,
``get(name)``, ``remove(name)``, ``available_strategies()``), written once for both front doors: Fabric's
``STRATEGY_REGISTRY`` (here) builds Fabric's strategy classes, the Trainer's ``StrategyRegistry`` builds the Trainer's.
``factories`` is the view the device resolution uses: name -> a function that builds the strategy from the resolved
setup (``lightning.fabric.connector._DeviceSetup``).

The built-in distributed strategies register their names when their module is imported. Those modules are imported
the first time anyone asks a registry for its names, not at ``import lightning``: a one-device run never needs them.
"""
import importlib
from typing import Any, Callable, Optional


class _StrategyRegistry(dict):
    """name -> {"strategy": class, "init_params": kwargs, "description": str, "strategy_name": name}.

    Every way of reading the names first imports the modules that register the built-in names."""

    def __init__(self, built_in_modules: tuple = ()) -> None:
        super().__init__()
        self._built_in_modules = built_in_modules
        self._built_ins_loaded = not built_in_modules
        self.factories: dict = {}

    def _load_built_ins(self) -> None:
        if self._built_ins_loaded:
            return
        self._built_ins_loaded = True  # first: the modules' own registrations call back into the registry
        for module in self._built_in_modules:
            importlib.import_module(module)

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
            self.factories[name] = lambda setup: strategy(**init_params)
            return strategy

        if strategy is not None:
            return do_register(strategy)
        return do_register

    def register_factory(self, name: str, factory: Callable[[Any], Any]) -> None:
        """A name whose strategy is built from the resolved device setup (for strategies that need it)."""
        self.factories[name] = factory

    def get(self, name: str, default: Optional[Any] = None) -> Any:
        """A new strategy object for ``name`` (built with its registered ``init_params``)."""
        self._load_built_ins()
        if name in self:
            data = self[name]
            return data["strategy"](**data["init_params"])
        if default is not None:
            return default
        raise KeyError(f"'{name}' not found in the strategy registry. Available names: {', '.join(sorted(self))}")

    def remove(self, name: str) -> None:
        self._load_built_ins()
        self.pop(name)
        self.factories.pop(name, None)

    def available_strategies(self) -> list:
        return list(self.keys())

    def __str__(self) -> str:
        return "Registered Strategies: {}".format(", ".join(self.keys()))

    # the dict views, each after loading the built-in names
    def __contains__(self, name: object) -> bool:
        self._load_built_ins()
        return super().__contains__(name)

    def __getitem__(self, name: str) -> dict:
        self._load_built_ins()
        return super().__getitem__(name)

    def __iter__(self):
        self._load_built_ins()
        return super().__iter__()

    def __len__(self) -> int:
        self._load_built_ins()
        return super().__len__()

    def __repr__(self) -> str:
        self._load_built_ins()
        return super().__repr__()

    def keys(self):
        self._load_built_ins()
        return super().keys()

    def values(self):
        self._load_built_ins()
        return super().values()

    def items(self):
        self._load_built_ins()
        return super().items()


# "ddp", "ddp_spawn", ..., "fsdp", "fsdp_cpu_offload": registered by these modules when imported
STRATEGY_REGISTRY = _StrategyRegistry(("lightning.fabric.strategies.ddp", "lightning.fabric.strategies.fsdp"))
