"""Fabric's accelerators: the Trainer's classes (one implementation, two front doors)."""
from lightning.pytorch.accelerators import (
    Accelerator,
    AcceleratorRegistry,
    CPUAccelerator,
    CUDAAccelerator,
    MPSAccelerator,
    find_usable_cuda_devices,
)

ACCELERATOR_REGISTRY = AcceleratorRegistry

__all__ = ["ACCELERATOR_REGISTRY", "Accelerator", "CPUAccelerator", "CUDAAccelerator", "MPSAccelerator",
           "find_usable_cuda_devices"]
