"""``lightning.fabric.strategies.model_parallel.ModelParallelStrategy``: tensor parallel + FSDP2 under Fabric,
where ``parallelize_fn(model, device_mesh)`` parallelizes the model. Accepted with 2.6.6's signature, not implemented
here: a clear error when Fabric sets it up."""
from datetime import timedelta
from typing import Any, Callable, Optional, Union

from lightning.pytorch.strategies.ddp import _DEFAULT_TIMEOUT
from lightning.pytorch.strategies.model_parallel import ModelParallelStrategy as _TrainerModelParallel


class ModelParallelStrategy(_TrainerModelParallel):
    def __init__(self, parallelize_fn: Callable[[Any, Any], Any], data_parallel_size: Union[str, int] = "auto",
                 tensor_parallel_size: Union[str, int] = "auto", save_distributed_checkpoint: bool = True,
                 process_group_backend: Optional[str] = None, timeout: Optional[timedelta] = _DEFAULT_TIMEOUT) -> None:
        super().__init__(data_parallel_size=data_parallel_size, tensor_parallel_size=tensor_parallel_size,
                         save_distributed_checkpoint=save_distributed_checkpoint,
                         process_group_backend=process_group_backend, timeout=timeout)
        self._parallelize_fn = parallelize_fn
