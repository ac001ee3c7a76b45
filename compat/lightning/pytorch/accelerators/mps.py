"""The Trainer's Apple MPS accelerator: the engine's, with the machine's memory figures for ``DeviceStatsMonitor``."""
from lightning.fabric.accelerators.mps import MPSAccelerator as _FabricMPSAccelerator
from lightning.pytorch.accelerators.accelerator import Accelerator


class MPSAccelerator(_FabricMPSAccelerator, Accelerator):
    pass


def get_device_stats() -> dict:
    """On Apple silicon the GPU shares the machine's memory: the same figures as ``get_cpu_stats``."""
    from lightning.pytorch.accelerators.cpu import get_cpu_stats

    return get_cpu_stats()
