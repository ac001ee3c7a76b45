"""The ``Accelerator`` interface of the engine: one kind of hardware, how ``devices`` is parsed for it and how a
process prepares its device. The Trainer's accelerators extend it with ``setup(trainer)`` and ``get_device_stats``."""
from abc import ABC, abstractmethod
from typing import Any

import torch


class Accelerator(ABC):
    """One kind of hardware: parses the ``devices`` argument and prepares a device for a process."""

    @abstractmethod
    def setup_device(self, device: torch.device) -> None:
        """Make ``device`` current for this process."""

    @abstractmethod
    def teardown(self) -> None:
        """Release what :meth:`setup_device` took."""

    @staticmethod
    @abstractmethod
    def parse_devices(devices: Any) -> Any:
        """Turn the user's ``devices`` value into what :meth:`get_parallel_devices` takes."""

    @staticmethod
    @abstractmethod
    def get_parallel_devices(devices: Any) -> Any:
        """The list of ``torch.device`` this run uses."""

    @staticmethod
    @abstractmethod
    def auto_device_count() -> int:
        """How many devices ``devices="auto"`` means."""

    @staticmethod
    @abstractmethod
    def is_available() -> bool:
        """Whether this hardware is present."""

    @staticmethod
    @abstractmethod
    def name() -> str:
        """The name this accelerator is registered under (``accelerator="<name>"``)."""

    @classmethod
    def register_accelerators(cls, accelerator_registry: Any) -> None:
        """Add this class to ``accelerator_registry`` (subclasses that can be chosen by name do)."""
