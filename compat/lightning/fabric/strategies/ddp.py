"""``lightning.fabric.strategies.ddp.DDPStrategy``: the Trainer's DDP strategy, constructed the Fabric way
(``precision=``; the DDP communication-hook arguments are the Trainer's only)."""
from datetime import timedelta
from typing import Any, Optional

from lightning.fabric.strategies._spelling import _FabricSpelling, _PrecisionProperty
from lightning.pytorch.strategies.ddp import _DEFAULT_TIMEOUT
from lightning.pytorch.strategies.ddp import DDPStrategy as _TrainerDDP

__all__ = ["DDPStrategy"]


class DDPStrategy(_PrecisionProperty, _TrainerDDP, metaclass=_FabricSpelling):
    _trainer_class = _TrainerDDP

    def __init__(self, accelerator: Any = None, parallel_devices: Optional[list] = None,
                 cluster_environment: Any = None, checkpoint_io: Any = None, precision: Optional[Any] = None,
                 process_group_backend: Optional[str] = None, timeout: Optional[timedelta] = _DEFAULT_TIMEOUT,
                 start_method: str = "popen", **kwargs: Any) -> None:
        _TrainerDDP.__init__(self, accelerator=accelerator, parallel_devices=parallel_devices,
                             cluster_environment=cluster_environment, checkpoint_io=checkpoint_io,
                             precision_plugin=precision, process_group_backend=process_group_backend,
                             timeout=timeout, start_method=start_method, **kwargs)
