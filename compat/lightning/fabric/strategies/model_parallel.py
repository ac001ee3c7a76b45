"""``ModelParallelStrategy``: tensor parallel + FSDP2 under Fabric, where ``parallelize_fn(model, device_mesh)``
parallelizes the model. Accepted with 2.6.6's signature, not implemented here: a clear error when Fabric sets up
the processes (``FSDPStrategy`` covers sharded data parallel training)."""
from datetime import timedelta
from typing import Any, Callable, Optional, Union

import torch

from lightning.fabric.strategies.ddp import _DEFAULT_TIMEOUT
from lightning.fabric.strategies.parallel import ParallelStrategy

__all__ = ["ModelParallelStrategy"]

_NOT_IMPLEMENTED = ("`ModelParallelStrategy` (tensor parallel + FSDP2 over a device mesh) is not implemented by "
                    "lightning-compat; use `strategy='fsdp'` (FSDPStrategy) for sharded training.")


class ModelParallelStrategy(ParallelStrategy):
    def __init__(self, parallelize_fn: Callable[[Any, Any], Any], data_parallel_size: Union[str, int] = "auto",
                 tensor_parallel_size: Union[str, int] = "auto", save_distributed_checkpoint: bool = True,
                 process_group_backend: Optional[str] = None, timeout: Optional[timedelta] = _DEFAULT_TIMEOUT) -> None:
        super().__init__()
        self._parallelize_fn = parallelize_fn
        self._data_parallel_size = data_parallel_size
        self._tensor_parallel_size = tensor_parallel_size
        self._save_distributed_checkpoint = save_distributed_checkpoint
        self._process_group_backend = process_group_backend
        self._timeout = timeout

    @property
    def root_device(self) -> torch.device:
        return self.parallel_devices[0] if self.parallel_devices else torch.device("cpu")

    def setup_environment(self) -> None:
        raise NotImplementedError(_NOT_IMPLEMENTED)

    def setup_module(self, module: torch.nn.Module) -> torch.nn.Module:
        raise NotImplementedError(_NOT_IMPLEMENTED)

    def barrier(self, *args: Any, **kwargs: Any) -> None:
        super().barrier()
