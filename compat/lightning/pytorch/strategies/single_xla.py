"""``SingleDeviceXLAStrategy``: one TPU core through ``torch_xla`` (not driven by this project)."""
from typing import Any, Optional

from lightning.fabric.utilities.unavailable import xla_unavailable
from lightning.pytorch.strategies.strategy import SingleDeviceStrategy


class SingleDeviceXLAStrategy(SingleDeviceStrategy):
    strategy_name = "single_xla"

    def __init__(self, device: Any, accelerator: Any = None, checkpoint_io: Any = None,
                 precision_plugin: Optional[Any] = None, debug: bool = False) -> None:
        xla_unavailable(type(self).__name__)
