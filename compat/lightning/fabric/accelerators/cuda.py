"""``lightning.fabric.accelerators.cuda``: the Trainer's CUDA accelerator and the device-count helpers."""
import torch

from lightning.pytorch.accelerators.cuda import CUDAAccelerator, find_usable_cuda_devices

__all__ = ["CUDAAccelerator", "find_usable_cuda_devices", "is_cuda_available", "num_cuda_devices"]


def num_cuda_devices() -> int:
    """How many CUDA devices this process can see."""
    return torch.cuda.device_count()


def is_cuda_available() -> bool:
    """Whether at least one CUDA device can be used."""
    return CUDAAccelerator.is_available()
