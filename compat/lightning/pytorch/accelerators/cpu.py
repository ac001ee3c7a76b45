"""The CPU accelerator."""
from typing import Any, Union

import torch

from lightning.pytorch.accelerators.accelerator import Accelerator
from lightning.pytorch.utilities.exceptions import MisconfigurationException


class CPUAccelerator(Accelerator):
    def setup_device(self, device: torch.device) -> None:
        if device.type != "cpu":
            raise MisconfigurationException(f"Device should be CPU, got {device} instead.")

    @staticmethod
    def parse_devices(devices: Union[int, str, list]) -> int:
        """CPU ``devices`` is a number of processes: an int >= 1 or a digit string (as 2.6.6: -1 and lists are not
        accepted on the CPU)."""
        if isinstance(devices, str) and devices.strip().isdigit():
            devices = int(devices)
        if not isinstance(devices, int) or isinstance(devices, bool) or devices <= 0:
            raise TypeError(f"`devices` selected with `CPUAccelerator` should be an int > 0 (got `devices={devices!r}`:"
                            " give the number of processes, e.g. `devices=2`).")
        return devices

    @staticmethod
    def get_parallel_devices(devices: Union[int, str, list]) -> list:
        return [torch.device("cpu")] * CPUAccelerator.parse_devices(devices)

    @staticmethod
    def auto_device_count() -> int:
        return 1

    @staticmethod
    def is_available() -> bool:
        return True

    def get_device_stats(self, device: Any) -> dict:
        try:
            import psutil
        except ImportError:
            return {}
        return {
            "cpu_vm_percent": psutil.virtual_memory().percent,
            "cpu_percent": psutil.cpu_percent(),
            "cpu_swap_percent": psutil.swap_memory().percent,
        }


def get_cpu_stats() -> dict:
    """Memory, CPU and swap use of this machine in percent (needs ``psutil``)."""
    try:
        import psutil
    except ImportError as err:
        raise ModuleNotFoundError("CPU stats need `psutil`: `pip install psutil`.") from err
    return {"cpu_vm_percent": psutil.virtual_memory().percent, "cpu_percent": psutil.cpu_percent(),
            "cpu_swap_percent": psutil.swap_memory().percent}
