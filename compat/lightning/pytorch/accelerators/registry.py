"""``AcceleratorRegistry``: the accelerator names ``Trainer(accelerator=...)`` accepts, name -> the Trainer's class."""
from lightning.fabric.accelerators.registry import _AcceleratorRegistry
from lightning.pytorch.accelerators.cpu import CPUAccelerator
from lightning.pytorch.accelerators.cuda import CUDAAccelerator
from lightning.pytorch.accelerators.mps import MPSAccelerator
from lightning.pytorch.accelerators.xla import XLAAccelerator

AcceleratorRegistry = _AcceleratorRegistry()
for _cls in (CPUAccelerator, CUDAAccelerator, MPSAccelerator, XLAAccelerator):
    _cls.register_accelerators(AcceleratorRegistry)
