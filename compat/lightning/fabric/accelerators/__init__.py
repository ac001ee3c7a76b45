"""The engine's accelerators: which devices exist, how ``devices`` is parsed for them, how a process takes one.
``ACCELERATOR_REGISTRY`` maps the names ``Fabric(accelerator=...)`` accepts to these classes."""
from lightning.fabric.accelerators.accelerator import Accelerator
from lightning.fabric.accelerators.cpu import CPUAccelerator
from lightning.fabric.accelerators.cuda import CUDAAccelerator, find_usable_cuda_devices
from lightning.fabric.accelerators.mps import MPSAccelerator
from lightning.fabric.accelerators.registry import _AcceleratorRegistry
from lightning.fabric.accelerators.xla import XLAAccelerator

ACCELERATOR_REGISTRY = _AcceleratorRegistry()
for _cls in (CPUAccelerator, CUDAAccelerator, MPSAccelerator, XLAAccelerator):
    _cls.register_accelerators(ACCELERATOR_REGISTRY)

__all__ = ["ACCELERATOR_REGISTRY", "Accelerator", "CPUAccelerator", "CUDAAccelerator", "MPSAccelerator",
           "XLAAccelerator", "find_usable_cuda_devices"]
