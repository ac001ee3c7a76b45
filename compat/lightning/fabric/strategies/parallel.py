"""``lightning.fabric.strategies.parallel.ParallelStrategy``: the Trainer's multi-process base, constructed the
Fabric way (``precision=``)."""
from typing import Any, Optional

from lightning.fabric.strategies._spelling import _FabricSpelling, _PrecisionProperty
from lightning.pytorch.strategies.parallel import ParallelStrategy as _TrainerParallel

__all__ = ["ParallelStrategy"]


class ParallelStrategy(_PrecisionProperty, _TrainerParallel, metaclass=_FabricSpelling):
    _trainer_class = _TrainerParallel

    def __init__(self, accelerator: Any = None, parallel_devices: Optional[list] = None,
                 cluster_environment: Any = None, checkpoint_io: Any = None, precision: Optional[Any] = None) -> None:
        _TrainerParallel.__init__(self, accelerator=accelerator, parallel_devices=parallel_devices,
                                  cluster_environment=cluster_environment, checkpoint_io=checkpoint_io,
                                  precision_plugin=precision)
