"""The CPU accelerator: ``devices`` is a number of processes."""
from typing import Any, Union

import torch

from lightning.fabric.accelerators.accelerator import Accelerator
from lightning.fabric.utilities.exceptions import MisconfigurationException


class CPUAccelerator(Accelerator):
    def setup_device(self, device: torch.device) -> None:
        if device.type != "cpu":
            raise MisconfigurationException(f"Device should be CPU, got {device} instead.")

    def teardown(self) -> None:
        pass

    @staticmethod
    def parse_devices(devices: Union[int, str]) -> int:
        """CPU ``devices`` is a number of processes: an int >= 1 or a digit string (as 2.6.6: -1 and lists are not
        accepted on the CPU)."""
        if isinstance(devices, str) and devices.strip().isdigit():
            devices = int(devices)
        if not isinstance(devices, int) or isinstance(devices, bool) or devices <= 0:
            raise TypeError(f"`devices` selected with `CPUAccelerator` should be an int > 0 (got `devices={devices!r}`:"
                            " give the number of processes, e.g. `devices=2`).")
        return devices

    @staticmethod
    def get_parallel_devices(devices: Union[int, str]) -> list:
        return [torch.device("cpu")] * CPUAccelerator.parse_devices(devices)

    @staticmethod
    def auto_device_count() -> int:
        return 1

    @staticmethod
    def is_available() -> bool:
        return True

    @staticmethod
    def name() -> str:
        return "cpu"

    @classmethod
    def register_accelerators(cls, accelerator_registry: Any) -> None:
        accelerator_registry.register("cpu", cls, description=cls.__name__)
