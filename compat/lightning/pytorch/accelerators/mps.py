"""The Apple MPS accelerator (one device)."""
from typing import Any

import torch

from lightning.pytorch.accelerators.accelerator import Accelerator
from lightning.pytorch.accelerators.cuda import _parse_gpu_ids
from lightning.pytorch.utilities.exceptions import MisconfigurationException


class MPSAccelerator(Accelerator):
    def setup_device(self, device: torch.device) -> None:
        if device.type != "mps":
            raise MisconfigurationException(f"Device should be MPS, got {device} instead.")

    @staticmethod
    def parse_devices(devices: Any) -> Any:
        return _parse_gpu_ids(devices, MPSAccelerator.auto_device_count(), "mps")

    @staticmethod
    def get_parallel_devices(devices: Any) -> list:
        return [torch.device("mps", i) for i in devices]

    @staticmethod
    def auto_device_count() -> int:
        return 1 if MPSAccelerator.is_available() else 0

    @staticmethod
    def is_available() -> bool:
        mps = getattr(torch.backends, "mps", None)
        return bool(mps is not None and mps.is_available())


def get_device_stats() -> dict:
    """On Apple silicon the GPU shares the machine's memory: the same figures as ``get_cpu_stats``."""
    from lightning.pytorch.accelerators.cpu import get_cpu_stats

    return get_cpu_stats()
