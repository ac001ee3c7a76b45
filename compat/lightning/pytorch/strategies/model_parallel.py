"""``ModelParallelStrategy``: tensor parallelism plus FSDP2 over a 2-D device mesh, where the user's
``configure_model`` parallelizes the layers with ``self.device_mesh``.

Not implemented by this project yet: the class accepts 2.6.6's arguments (so configs and type hints work) and
raises a clear error when a Trainer sets it up. ``FSDPStrategy`` covers sharded data parallel training here.
"""
from datetime import timedelta
from typing import Any, Optional, Union

import torch

from lightning.pytorch.strategies.ddp import _DEFAULT_TIMEOUT
from lightning.pytorch.strategies.parallel import ParallelStrategy

_NOT_IMPLEMENTED = ("`ModelParallelStrategy` (tensor parallel + FSDP2 over a device mesh) is not implemented by "
                    "lightning-compat; use `strategy='fsdp'` (FSDPStrategy) for sharded training.")


class ModelParallelStrategy(ParallelStrategy):
    strategy_name = "model_parallel"

    def __init__(self, data_parallel_size: Union[str, int] = "auto", tensor_parallel_size: Union[str, int] = "auto",
                 save_distributed_checkpoint: bool = True, process_group_backend: Optional[str] = None,
                 timeout: Optional[timedelta] = _DEFAULT_TIMEOUT) -> None:
        super().__init__()
        self._data_parallel_size = data_parallel_size
        self._tensor_parallel_size = tensor_parallel_size
        self._save_distributed_checkpoint = save_distributed_checkpoint
        self._process_group_backend = process_group_backend
        self._timeout = timeout
        self._device_mesh: Any = None

    @property
    def device_mesh(self) -> Any:
        if self._device_mesh is None:
            raise RuntimeError("The device mesh exists only once the processes have been initialized.")
        return self._device_mesh

    @property
    def root_device(self) -> torch.device:  # read by teardown after the refusal below
        return self.parallel_devices[0] if self.parallel_devices else torch.device("cpu")

    def setup_environment(self) -> None:
        raise NotImplementedError(_NOT_IMPLEMENTED)

    def setup(self, trainer: Any) -> None:
        raise NotImplementedError(_NOT_IMPLEMENTED)
