"""``lightning.fabric.accelerators.mps.MPSAccelerator``: the Trainer's Apple MPS accelerator."""
from lightning.pytorch.accelerators.mps import MPSAccelerator

__all__ = ["MPSAccelerator"]
