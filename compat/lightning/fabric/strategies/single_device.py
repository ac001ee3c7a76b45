"""``lightning.fabric.strategies.single_device.SingleDeviceStrategy``: the Trainer's one-device strategy,
constructed the Fabric way (``precision=``)."""
from typing import Any, Optional

from lightning.fabric.strategies._spelling import _FabricSpelling, _PrecisionProperty
from lightning.pytorch.strategies.strategy import SingleDeviceStrategy as _TrainerSingleDevice

__all__ = ["SingleDeviceStrategy"]


class SingleDeviceStrategy(_PrecisionProperty, _TrainerSingleDevice, metaclass=_FabricSpelling):
    _trainer_class = _TrainerSingleDevice

    def __init__(self, device: Any = "cpu", accelerator: Any = None, checkpoint_io: Any = None,
                 precision: Optional[Any] = None) -> None:
        _TrainerSingleDevice.__init__(self, device=device, accelerator=accelerator, checkpoint_io=checkpoint_io,
                                      precision_plugin=precision)
