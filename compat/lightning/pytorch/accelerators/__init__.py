"""Hardware back ends: which devices exist and how to prepare them (each imported on first use)."""
from lightning.fabric.utilities.lazy import lazy_exports

_HOMES = {"Accelerator": "accelerator", "CPUAccelerator": "cpu", "CUDAAccelerator": "cuda",
          "find_usable_cuda_devices": "cuda", "MPSAccelerator": "mps", "AcceleratorRegistry": "registry",
          "XLAAccelerator": "xla"}
__all__ = ["Accelerator", "AcceleratorRegistry", "CPUAccelerator", "CUDAAccelerator", "MPSAccelerator",
           "XLAAccelerator", "find_usable_cuda_devices"]
_getattr, __dir__ = lazy_exports(__name__, _HOMES)


def __getattr__(name: str):
    if name in ("TPUAccelerator", "HPUAccelerator"):  # removed hardware 2.6.6 still names (see _graveyard)
        from lightning.pytorch import _graveyard

        return _graveyard.deprecated(name, __name__)
    return _getattr(name)
