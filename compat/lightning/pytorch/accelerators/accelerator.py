"""The Trainer's ``Accelerator``: the engine's interface (:mod:`lightning.fabric.accelerators.accelerator`) plus
what the Trainer asks of the hardware: ``setup(trainer)`` and ``get_device_stats`` for ``DeviceStatsMonitor``."""
from abc import ABC
from typing import Any

from lightning.fabric.accelerators.accelerator import Accelerator as _FabricAccelerator


class Accelerator(_FabricAccelerator, ABC):
    """One kind of hardware, as the Trainer drives it."""

    def setup(self, trainer: Any) -> None:
        """Called once the trainer knows its strategy."""

    def get_device_stats(self, device: Any) -> dict:
        """Device statistics for ``DeviceStatsMonitor``."""
        return {}
