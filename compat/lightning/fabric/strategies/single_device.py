"""``SingleDeviceStrategy``: everything on one device in one process."""
from typing import Any, Optional

import torch

from lightning.fabric.strategies.strategy import Strategy

__all__ = ["SingleDeviceStrategy"]


class SingleDeviceStrategy(Strategy):
    """Everything on one device in one process."""

    strategy_name = "single_device"

    def __init__(self, device: Any = "cpu", accelerator: Any = None, checkpoint_io: Any = None,
                 precision: Optional[Any] = None) -> None:
        super().__init__(accelerator=accelerator, checkpoint_io=checkpoint_io, precision=precision)
        self._root_device = torch.device(device) if not isinstance(device, torch.device) else device

    @property
    def root_device(self) -> torch.device:
        return self._root_device

    # one process: the collectives take any arguments and change nothing
    def all_reduce(self, tensor: Any, *args: Any, **kwargs: Any) -> Any:
        return tensor

    def barrier(self, *args: Any, **kwargs: Any) -> None:
        pass
