"""``lightning.fabric.accelerators.registry``: the accelerator registry (shared with the Trainer) and the hook
through which an ``Accelerator`` subclass adds its names to a registry."""
from typing import Any

from lightning.pytorch.accelerators.registry import AcceleratorRegistry

__all__ = ["AcceleratorRegistry", "call_register_accelerators"]


def call_register_accelerators(registry: Any, base_module: str) -> None:
    """Let every ``Accelerator`` subclass defined in ``base_module`` (a dotted module path) register itself."""
    import importlib

    from lightning.pytorch.accelerators.accelerator import Accelerator

    module = importlib.import_module(base_module)
    for obj in vars(module).values():
        if isinstance(obj, type) and issubclass(obj, Accelerator) and obj is not Accelerator:
            obj.register_accelerators(registry)
