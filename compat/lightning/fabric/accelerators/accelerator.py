"""``lightning.fabric.accelerators.accelerator.Accelerator``: the Trainer's accelerator interface."""
from lightning.pytorch.accelerators.accelerator import Accelerator

__all__ = ["Accelerator"]
