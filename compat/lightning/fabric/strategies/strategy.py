"""``lightning.fabric.strategies.strategy.Strategy``: the Trainer's strategy base, constructed the Fabric way."""
from typing import Any, Optional

from lightning.fabric.strategies._spelling import _FabricSpelling, _PrecisionProperty
from lightning.pytorch.strategies.strategy import Strategy as _TrainerStrategy

__all__ = ["Strategy"]


class Strategy(_PrecisionProperty, _TrainerStrategy, metaclass=_FabricSpelling):
    _trainer_class = _TrainerStrategy

    def __init__(self, accelerator: Any = None, checkpoint_io: Any = None, precision: Optional[Any] = None) -> None:
        _TrainerStrategy.__init__(self, accelerator=accelerator, checkpoint_io=checkpoint_io,
                                  precision_plugin=precision)
