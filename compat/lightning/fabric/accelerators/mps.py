"""The Apple MPS accelerator (one device)."""
from typing import Any

import torch

from lightning.fabric.accelerators.accelerator import Accelerator
from lightning.fabric.accelerators.cuda import _parse_gpu_ids
from lightning.fabric.utilities.exceptions import MisconfigurationException


class MPSAccelerator(Accelerator):
    def setup_device(self, device: torch.device) -> None:
        if device.type != "mps":
            raise MisconfigurationException(f"Device should be MPS, got {device} instead.")

    def teardown(self) -> None:
        pass

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

    @staticmethod
    def name() -> str:
        return "mps"

    @classmethod
    def register_accelerators(cls, accelerator_registry: Any) -> None:
        accelerator_registry.register("mps", cls, description=cls.__name__)
