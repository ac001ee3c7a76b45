"""``SingleDeviceXLAStrategy`` under Fabric (TPUs; not driven by this project)."""
from typing import Any, Optional

from lightning.fabric.strategies.single_device import SingleDeviceStrategy
from lightning.fabric.utilities.unavailable import xla_unavailable


class SingleDeviceXLAStrategy(SingleDeviceStrategy):
    def __init__(self, device: Any, accelerator: Any = None, checkpoint_io: Any = None,
                 precision: Optional[Any] = None) -> None:
        xla_unavailable(type(self).__name__)
