"""``lightning.fabric.accelerators.cpu.CPUAccelerator``: the Trainer's CPU accelerator."""
from lightning.pytorch.accelerators.cpu import CPUAccelerator

__all__ = ["CPUAccelerator"]
