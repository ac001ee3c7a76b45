"""The accelerator registry: the names ``accelerator=`` accepts, each mapped to its class.

Fabric's registry holds the engine's classes, the Trainer's (``AcceleratorRegistry``) their Trainer subclasses; both
are ``_AcceleratorRegistry`` objects, filled by each class's ``register_accelerators``."""
import importlib
from typing import Any, Optional

from lightning.fabric.utilities.exceptions import MisconfigurationException

__all__ = ["_AcceleratorRegistry", "call_register_accelerators"]


class _AcceleratorRegistry(dict):
    """``name -> Accelerator class``; :meth:`get` builds one with the arguments it was registered with."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._init_params: dict = {}
        self._descriptions: dict = {}

    def register(self, name: str, accelerator: Optional[Any] = None, description: str = "", override: bool = False,
                 **init_params: Any) -> Any:
        """Register ``accelerator`` under ``name``; without ``accelerator``, return a class decorator that does."""
        if name in self and not override:
            raise MisconfigurationException(f"'{name}' is already present in the registry. HINT: Use `override=True`.")

        def do_register(cls: Any) -> Any:
            self[name] = cls
            self._init_params[name] = init_params
            self._descriptions[name] = description or cls.__name__
            return cls

        return do_register if accelerator is None else do_register(accelerator)

    def get(self, name: str, default: Optional[Any] = None) -> Any:
        """An instance of the accelerator registered as ``name`` (``default`` when there is none)."""
        if name in self:
            return self[name](**self._init_params.get(name, {}))
        if default is not None:
            return default
        raise KeyError(f"{name!r} not found in registry. Available names: {sorted(self)}")

    def remove(self, name: str) -> None:
        self.pop(name)
        self._init_params.pop(name, None)
        self._descriptions.pop(name, None)

    def available_accelerators(self) -> set:
        return set(self)

    def __str__(self) -> str:
        return "Registered Accelerators: {}".format(", ".join(self))


def call_register_accelerators(registry: Any, base_module: str) -> None:
    """Let every ``Accelerator`` subclass defined in ``base_module`` (a dotted module path) register itself."""
    from lightning.fabric.accelerators.accelerator import Accelerator

    module = importlib.import_module(base_module)
    for obj in vars(module).values():
        if isinstance(obj, type) and issubclass(obj, Accelerator) and obj is not Accelerator:
            obj.register_accelerators(registry)
