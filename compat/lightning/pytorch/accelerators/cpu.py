"""The Trainer's CPU accelerator: the engine's, with ``psutil`` statistics for ``DeviceStatsMonitor``."""
from typing import Any

from lightning.fabric.accelerators.cpu import CPUAccelerator as _FabricCPUAccelerator
from lightning.pytorch.accelerators.accelerator import Accelerator


class CPUAccelerator(_FabricCPUAccelerator, Accelerator):
    def get_device_stats(self, device: Any) -> dict:
        try:
            return get_cpu_stats()
        except ModuleNotFoundError:
            return {}


def get_cpu_stats() -> dict:
    """Memory, CPU and swap use of this machine in percent (needs ``psutil``)."""
    try:
        import psutil
    except ImportError as err:
        raise ModuleNotFoundError("CPU stats need `psutil`: `pip install psutil`.") from err
    return {"cpu_vm_percent": psutil.virtual_memory().percent, "cpu_percent": psutil.cpu_percent(),
            "cpu_swap_percent": psutil.swap_memory().percent}
