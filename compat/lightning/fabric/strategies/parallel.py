"""``ParallelStrategy``: the base of strategies that run one process per device (DDP, FSDP).

It owns what every such strategy shares: the cluster environment (ranks, world size), the devices of this node,
collectives through ``torch.distributed`` and the sampler arguments that shard data per rank.
"""
import contextlib
from typing import Any, ContextManager, Optional

import torch
from torch import Tensor
from torch.nn import Module

from lightning.fabric.strategies.strategy import Strategy
from lightning.fabric.utilities.distributed import (
    ReduceOp,
    _all_gather_ddp_if_available,
    _distributed_is_initialized,
    _get_default_process_group_backend_for_device,
    _sync_ddp_if_available,
)
from lightning.fabric.utilities.rank_zero import WarningCache

__all__ = ["ParallelStrategy"]

_warning_cache = WarningCache()


class ParallelStrategy(Strategy):
    """One process per device; ranks and world size come from the cluster environment."""

    def __init__(self, accelerator: Any = None, parallel_devices: Optional[list] = None,
                 cluster_environment: Optional[Any] = None, checkpoint_io: Any = None,
                 precision: Optional[Any] = None) -> None:
        super().__init__(accelerator=accelerator, checkpoint_io=checkpoint_io, precision=precision)
        self.parallel_devices = parallel_devices
        self.cluster_environment: Optional[Any] = cluster_environment
        self._layer_sync: Any = None

    @property
    def root_device(self) -> torch.device:
        raise NotImplementedError

    @property
    def global_rank(self) -> int:
        return self.cluster_environment.global_rank() if self.cluster_environment is not None else 0

    @property
    def local_rank(self) -> int:
        return self.cluster_environment.local_rank() if self.cluster_environment is not None else 0

    @property
    def node_rank(self) -> int:
        return self.cluster_environment.node_rank() if self.cluster_environment is not None else 0

    @property
    def world_size(self) -> int:
        return self.cluster_environment.world_size() if self.cluster_environment is not None else 1

    @property
    def is_global_zero(self) -> bool:
        return self.global_rank == 0

    @property
    def _needs_launch(self) -> bool:
        return True

    @property
    def parallel_devices(self) -> Optional[list]:
        return self._parallel_devices

    @parallel_devices.setter
    def parallel_devices(self, parallel_devices: Optional[list]) -> None:
        self._parallel_devices = parallel_devices

    @property
    def distributed_sampler_kwargs(self) -> dict:
        return {"num_replicas": len(self.parallel_devices) if self.parallel_devices is not None else 0,
                "rank": self.global_rank}

    def _get_process_group_backend(self) -> str:
        backend = getattr(self, "_process_group_backend", None)
        return backend or _get_default_process_group_backend_for_device(self.root_device)

    # ------------------------------------------------------------ collectives
    def all_reduce(self, tensor: Any, group: Optional[Any] = None, reduce_op: Optional[Any] = "mean") -> Any:
        """Reduce ``tensor`` across processes ('mean' by default; 'sum', 'max', 'min' or a ``ReduceOp``).
        Anything that is not a tensor is returned unchanged."""
        if isinstance(tensor, Tensor):
            return _sync_ddp_if_available(tensor, group, reduce_op=reduce_op)
        return tensor

    def all_gather(self, tensor: Tensor, group: Optional[Any] = None, sync_grads: bool = False) -> Tensor:
        """Stack ``tensor`` from every process along a new first dimension (size world_size)."""
        return _all_gather_ddp_if_available(tensor, group=group, sync_grads=sync_grads)

    def barrier(self, name: Optional[str] = None) -> None:
        if not _distributed_is_initialized():
            return
        if torch.distributed.get_backend() == "nccl" and self.root_device.type == "cuda":
            torch.distributed.barrier(device_ids=[self.root_device.index])
        else:
            torch.distributed.barrier()

    def broadcast(self, obj: Any, src: int = 0) -> Any:
        """``obj`` as rank ``src`` has it (any picklable object)."""
        if not _distributed_is_initialized():
            return obj
        box = [obj]
        torch.distributed.broadcast_object_list(box, src, group=torch.distributed.group.WORLD)
        return box[0]

    def reduce_boolean_decision(self, decision: bool, all: bool = True) -> bool:
        """True when every rank (``all=True``) or any rank (``all=False``) decided True."""
        if not _distributed_is_initialized():
            return decision
        votes = self.all_reduce(torch.tensor(int(decision), device=self.root_device), reduce_op=ReduceOp.SUM)
        return bool(votes == self.world_size) if all else bool(votes)

    def _no_backward_sync(self, module: Module, enabled: bool) -> ContextManager:
        if not enabled:
            return contextlib.nullcontext()
        no_sync = getattr(module, "no_sync", None)  # DistributedDataParallel's own switch
        if callable(no_sync):
            return no_sync()
        _warning_cache.warn(
            f"`fabric.no_backward_sync()` has no effect with `{type(self).__name__}`: its model wrapper cannot skip "
            "gradient synchronization, so every backward still synchronizes."
        )
        return contextlib.nullcontext()

    def teardown(self) -> None:
        if self.cluster_environment is not None:
            self.cluster_environment.teardown()
        super().teardown()
