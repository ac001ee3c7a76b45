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
        """CPU ``devices`` is a number of processes: an int >= 1, a digit string, or -1/"auto" for one."""
        if isinstance(devices, str):
            devices = devices.strip()
            if devices in ("auto", "-1"):
                return 1
            if not devices.lstrip("-").isdigit():
                raise MisconfigurationException(
                    f"`devices={devices!r}` is not valid for the CPU: give a number of processes, e.g. `devices=2`."
                )
            devices = int(devices)
        if isinstance(devices, (list, tuple)):
            raise MisconfigurationException(
                f"`devices={devices!r}`: the CPU accelerator takes a number of processes, not a list of device ids."
            )
        if not isinstance(devices, int) or isinstance(devices, bool) or devices == 0 or devices < -1:
            raise MisconfigurationException(
                f"`devices={devices!r}` is not valid for the CPU: give a number of processes >= 1 (or -1 / 'auto')."
            )
        return 1 if devices == -1 else devices

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
