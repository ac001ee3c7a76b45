"""``lightning.fabric.accelerators.xla.XLAAccelerator``: the Trainer's TPU accelerator stub (not driven here)."""
from lightning.pytorch.accelerators.xla import XLAAccelerator

__all__ = ["XLAAccelerator"]
