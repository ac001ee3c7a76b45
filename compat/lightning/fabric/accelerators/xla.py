"""``XLAAccelerator``: TPUs through ``torch_xla``, which this project does not drive; the class reports itself
unavailable and explains itself when constructed."""
from typing import Any

from lightning.fabric.accelerators.accelerator import Accelerator
from lightning.fabric.utilities.unavailable import xla_unavailable


class XLAAccelerator(Accelerator):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        xla_unavailable(type(self).__name__)

    def setup_device(self, device: Any) -> None:
        pass

    def teardown(self) -> None:
        pass

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

    @staticmethod
    def name() -> str:
        return "tpu"

    @classmethod
    def register_accelerators(cls, accelerator_registry: Any) -> None:
        accelerator_registry.register("tpu", cls, description=cls.__name__)
