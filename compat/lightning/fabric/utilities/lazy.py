"""Package namespaces whose names are imported on first use (keeps ``import lightning`` close to ``import torch``)."""
import importlib
import sys
from typing import Any


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

