"""Package namespaces whose names are imported on first use (keeps ``import lightning`` close to ``import torch``)."""
import importlib
import sys
from typing import Any, Callable


def lazy_exports(package: str, homes: dict) -> tuple:
    """Return ``(__getattr__, __dir__)`` for ``package``: ``homes`` maps each public name to its submodule."""

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{home}"), name)
        setattr(sys.modules[package], name, value)  # later lookups skip this function
        return value

    def __dir__() -> list:
        return sorted(set(homes) | set(vars(sys.modules[package])))

    return __getattr__, __dir__


def decorate_on_first_use(decorator: str) -> Callable[[Callable], Any]:
    """Decorator for a method whose decorator lives in a heavy module: ``decorator`` ("module:name") is imported and
    applied the first time the attribute is read, not when the class is created."""

    def wrap(fn: Callable) -> Any:
        return _DecoratedOnFirstUse(decorator, fn)

    return wrap


class _DecoratedOnFirstUse:
    def __init__(self, decorator: str, fn: Callable) -> None:
        self.decorator, self.fn = decorator, fn
        self.__doc__, self.__wrapped__ = fn.__doc__, fn

    def __set_name__(self, owner: type, name: str) -> None:
        self.owner, self.name = owner, name

    def __get__(self, instance: Any, owner: type) -> Any:
        module, name = self.decorator.split(":")
        decorated = getattr(importlib.import_module(module), name)(self.fn)
        setattr(self.owner, self.name, decorated)  # later lookups find the decorated method itself
        return decorated.__get__(instance, owner)
