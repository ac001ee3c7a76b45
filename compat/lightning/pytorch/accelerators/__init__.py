"""Hardware back ends: which devices exist and how to prepare them."""
from lightning.pytorch.accelerators.accelerator import Accelerator
from lightning.pytorch.accelerators.cpu import CPUAccelerator
from lightning.pytorch.accelerators.cuda import CUDAAccelerator, find_usable_cuda_devices
from lightning.pytorch.accelerators.mps import MPSAccelerator

AcceleratorRegistry = {"cpu": CPUAccelerator, "cuda": CUDAAccelerator, "mps": MPSAccelerator}

__all__ = ["Accelerator", "AcceleratorRegistry", "CPUAccelerator", "CUDAAccelerator", "MPSAccelerator",
           "find_usable_cuda_devices"]
