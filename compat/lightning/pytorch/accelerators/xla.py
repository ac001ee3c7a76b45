"""``XLAAccelerator``: TPUs through ``torch_xla``, which this project does not drive; the class reports itself
unavailable and explains itself when constructed."""
from typing import Any

from lightning.fabric.utilities.unavailable import xla_unavailable
from lightning.pytorch.accelerators.accelerator import Accelerator


class XLAAccelerator(Accelerator):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        xla_unavailable(type(self).__name__)

    @staticmethod
    def parse_devices(devices: Any) -> Any:
        return devices

    @staticmethod
    def get_parallel_devices(devices: Any) -> list:
        return []

    @staticmethod
    def auto_device_count() -> int:
        return 0

    @staticmethod
    def is_available() -> bool:
        return False
