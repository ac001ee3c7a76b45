"""The ``Accelerator`` interface."""
from abc import ABC, abstractmethod
from typing import Any

import torch


class Accelerator(ABC):
    """One kind of hardware: parses the ``devices`` argument and prepares a device for a process."""

    def setup_device(self, device: torch.device) -> None:
        """Make ``device`` current for this process."""

    def setup(self, trainer: Any) -> None:
        """Called once the trainer knows its strategy."""

    def teardown(self) -> None:
        """Release what :meth:`setup_device` took."""

    @staticmethod
    @abstractmethod
    def parse_devices(devices: Any) -> Any:
        """Turn the user's ``devices`` value into what :meth:`get_parallel_devices` takes."""

    @staticmethod
    @abstractmethod
    def get_parallel_devices(devices: Any) -> list:
        """The list of ``torch.device`` this run uses."""

    @staticmethod
    @abstractmethod
    def auto_device_count() -> int:
        """How many devices ``devices="auto"`` means."""

    @staticmethod
    @abstractmethod
    def is_available() -> bool:
        """Whether this hardware is present."""

    def get_device_stats(self, device: Any) -> dict:
        """Device statistics for ``DeviceStatsMonitor``."""
        return {}

    @classmethod
    def register_accelerators(cls, accelerator_registry: Any) -> None:
        pass
