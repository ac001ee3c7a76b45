"""``TorchCollective``: the collective over ``torch.distributed``. Reduction ops may be given as strings
("sum", "max", "avg" ...). ``setup(main_address, main_port, **init_kwargs)`` initializes the default group when none
exists (and ``teardown`` destroys it again once this was the last group using it)."""
import os
from datetime import timedelta
from typing import Any, Optional, Union

import torch
import torch.distributed as dist
from torch import Tensor
from typing_extensions import Self

from lightning.fabric.plugins.collectives.collective import Collective


class TorchCollective(Collective):
    manages_default_group = False  # whether some TorchCollective's setup() created the default group
    addr_key = "MASTER_ADDR"
    port_key = "MASTER_PORT"

    def __init__(self) -> None:
        if not dist.is_available():
            raise RuntimeError("torch.distributed is not available in this build of PyTorch.")
        super().__init__()

    @property
    def group(self) -> Any:
        if self._group is None:
            self._group = dist.GroupMember.WORLD
        return super().group

    @property
    def rank(self) -> int:
        return dist.get_rank(self.group)

    @property
    def world_size(self) -> int:
        return dist.get_world_size(self.group)

    # ------------------------------------------------------------ tensors
    def broadcast(self, tensor: Tensor, src: int) -> Tensor:
        dist.broadcast(tensor, src, group=self.group)
        return tensor

    def all_reduce(self, tensor: Tensor, op: Any = "sum") -> Tensor:
        dist.all_reduce(tensor, op=self._convert_to_native_op(op), group=self.group)
        return tensor

    def reduce(self, tensor: Tensor, dst: int, op: Any = "sum") -> Tensor:
        dist.reduce(tensor, dst, op=self._convert_to_native_op(op), group=self.group)
        return tensor

    def all_gather(self, tensor_list: list, tensor: Tensor) -> list:
        dist.all_gather(tensor_list, tensor, group=self.group)
        return tensor_list

    def gather(self, tensor: Tensor, gather_list: list, dst: int = 0) -> list:
        dist.gather(tensor, gather_list, dst, group=self.group)
        return gather_list

    def scatter(self, tensor: Tensor, scatter_list: list, src: int = 0) -> Tensor:
        dist.scatter(tensor, scatter_list, src, group=self.group)
        return tensor

    def reduce_scatter(self, output: Tensor, input_list: list, op: Any = "sum") -> Tensor:
        dist.reduce_scatter(output, input_list, op=self._convert_to_native_op(op), group=self.group)
        return output

    def all_to_all(self, output_tensor_list: list, input_tensor_list: list) -> list:
        dist.all_to_all(output_tensor_list, input_tensor_list, group=self.group)
        return output_tensor_list

    def send(self, tensor: Tensor, dst: int, tag: int = 0) -> None:
        dist.send(tensor, dst, tag=tag, group=self.group)

    def recv(self, tensor: Tensor, src: Optional[int] = None, tag: int = 0) -> Tensor:
        dist.recv(tensor, src, tag=tag, group=self.group)
        return tensor

    # ------------------------------------------------------------ picklable objects
    def all_gather_object(self, object_list: list, obj: Any) -> list:
        dist.all_gather_object(object_list, obj, group=self.group)
        return object_list

    def broadcast_object_list(self, object_list: list, src: int, device: Optional[torch.device] = None) -> list:
        dist.broadcast_object_list(object_list, src, group=self.group, device=device)
        return object_list

    def gather_object(self, obj: Any, object_gather_list: list, dst: int = 0) -> list:
        dist.gather_object(obj, object_gather_list, dst, group=self.group)
        return object_gather_list

    def scatter_object_list(self, scatter_object_output_list: list, scatter_object_input_list: list,
                            src: int = 0) -> list:
        dist.scatter_object_list(scatter_object_output_list, scatter_object_input_list, src, group=self.group)
        return scatter_object_output_list

    # ------------------------------------------------------------ synchronisation
    def barrier(self, device_ids: Optional[list] = None) -> None:
        if self.group == dist.GroupMember.NON_GROUP_MEMBER:
            return
        dist.barrier(group=self.group, device_ids=device_ids)

    def monitored_barrier(self, timeout: Optional[timedelta] = None, wait_all_ranks: bool = False) -> None:
        dist.monitored_barrier(group=self.group, timeout=timeout, wait_all_ranks=wait_all_ranks)

    # ------------------------------------------------------------ groups
    def setup(self, main_address: Optional[str] = None, main_port: Optional[str] = None, **kwargs: Any) -> Self:
        """Initialize the default group from ``kwargs`` (``backend``, ``rank``, ``world_size`` ...); the
        rendezvous address is taken from ``main_address``/``main_port`` unless the environment already sets it."""
        if self.is_initialized():
            return self
        ours = {}
        if main_address is not None and self.addr_key not in os.environ:
            ours[self.addr_key] = main_address
        if main_port is not None and self.port_key not in os.environ:
            ours[self.port_key] = str(main_port)
        os.environ.update(ours)
        try:
            super().setup(**kwargs)
        finally:  # only for the rendezvous: the user's environment is left as it was
            for key in ours:
                os.environ.pop(key, None)
        TorchCollective.manages_default_group = True
        return self

    def teardown(self) -> Self:
        was_member = self.group != dist.GroupMember.NON_GROUP_MEMBER
        super().teardown()
        default = dist.GroupMember.WORLD
        if TorchCollective.manages_default_group and default is None:
            TorchCollective.manages_default_group = False
        elif was_member and TorchCollective.manages_default_group and len(dist.distributed_c10d._pg_map) == 1:
            self.destroy_group(default)  # the default group was ours and nothing else uses it any more
            TorchCollective.manages_default_group = False
        return self

    @classmethod
    def is_available(cls) -> bool:
        return dist.is_available()

    @classmethod
    def is_initialized(cls) -> bool:
        return cls.is_available() and dist.is_initialized()

    @classmethod
    def init_group(cls, **kwargs: Any) -> None:
        dist.init_process_group(**kwargs)

    @classmethod
    def new_group(cls, **kwargs: Any) -> Any:
        return dist.new_group(**kwargs)

    @classmethod
    def destroy_group(cls, group: Any) -> None:
        if group in dist.distributed_c10d._pg_map:  # destroying a group twice raises
            dist.destroy_process_group(group)

    @classmethod
    def _convert_to_native_op(cls, op: Union[str, Any]) -> Any:
        if isinstance(op, (dist.ReduceOp, dist.ReduceOp.RedOpType)):
            return op
        if not isinstance(op, str):
            raise ValueError(f"Unsupported reduction {op!r} of type {type(op).__name__}: pass a `ReduceOp` or its "
                             "name ('sum', 'max', 'avg' ...).")
        native = getattr(dist.ReduceOp, op.upper(), None)
        if native is None:
            raise ValueError(f"{op!r} is not a member of `torch.distributed.ReduceOp`.")
        return native
