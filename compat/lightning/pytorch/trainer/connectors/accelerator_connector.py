"""``accelerator_connector``: the two registries the Trainer resolves ``accelerator=`` and ``strategy=`` names in."""
from lightning.pytorch.accelerators.registry import AcceleratorRegistry
from lightning.pytorch.strategies.registry import StrategyRegistry

__all__ = ["AcceleratorRegistry", "StrategyRegistry"]
