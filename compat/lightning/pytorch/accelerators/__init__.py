"""Hardware back ends: which devices exist and how to prepare them (each imported on first use)."""
from lightning.fabric.utilities.lazy import lazy_exports

_HOMES = {"Accelerator": "accelerator", "CPUAccelerator": "cpu", "CUDAAccelerator": "cuda",
          "find_usable_cuda_devices": "cuda", "MPSAccelerator": "mps", "AcceleratorRegistry": "registry"}
__all__ = ["Accelerator", "AcceleratorRegistry", "CPUAccelerator", "CUDAAccelerator", "MPSAccelerator",
           "find_usable_cuda_devices"]
__getattr__, __dir__ = lazy_exports(__name__, _HOMES)
