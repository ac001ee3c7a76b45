"""``lightning.fabric.strategies.fsdp.FSDPStrategy``: the Trainer's FSDP strategy, constructed the Fabric way
(``precision=``, no ``checkpoint_io``). Fabric here saves FSDP models as one consolidated checkpoint, so
``state_dict_type`` defaults to "full" (2.6.6's Fabric defaults to "sharded": see docs/coverage.md)."""
from datetime import timedelta
from typing import Any, Optional

from lightning.fabric.strategies._spelling import _FabricSpelling, _PrecisionProperty
from lightning.pytorch.strategies.ddp import _DEFAULT_TIMEOUT
from lightning.pytorch.strategies.fsdp import FSDPStrategy as _TrainerFSDP

__all__ = ["FSDPStrategy"]


class FSDPStrategy(_PrecisionProperty, _TrainerFSDP, metaclass=_FabricSpelling):
    _trainer_class = _TrainerFSDP

    def __init__(self, accelerator: Any = None, parallel_devices: Optional[list] = None,
                 cluster_environment: Any = None, precision: Optional[Any] = None,
                 process_group_backend: Optional[str] = None, timeout: Optional[timedelta] = _DEFAULT_TIMEOUT,
                 cpu_offload: Any = None, mixed_precision: Any = None, auto_wrap_policy: Any = None,
                 activation_checkpointing: Any = None, activation_checkpointing_policy: Any = None,
                 sharding_strategy: Any = "FULL_SHARD", state_dict_type: str = "full", device_mesh: Any = None,
                 **kwargs: Any) -> None:
        _TrainerFSDP.__init__(self, accelerator=accelerator, parallel_devices=parallel_devices,
                              cluster_environment=cluster_environment, precision_plugin=precision,
                              process_group_backend=process_group_backend, timeout=timeout, cpu_offload=cpu_offload,
                              mixed_precision=mixed_precision, auto_wrap_policy=auto_wrap_policy,
                              activation_checkpointing=activation_checkpointing,
                              activation_checkpointing_policy=activation_checkpointing_policy,
                              sharding_strategy=sharding_strategy, state_dict_type=state_dict_type,
                              device_mesh=device_mesh, **kwargs)
