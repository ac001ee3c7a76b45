"""``SingleDeviceCollective``: the collective of a run with one process; every operation returns its input."""
from typing import Any

from torch import Tensor

from lightning.fabric.plugins.collectives.collective import Collective


class SingleDeviceCollective(Collective):
    @property
    def rank(self) -> int:
        return 0

    @property
    def world_size(self) -> int:
        return 1

    def broadcast(self, tensor: Tensor, *_: Any, **__: Any) -> Tensor:
        return tensor

    def all_reduce(self, tensor: Tensor, *_: Any, **__: Any) -> Tensor:
        return tensor

    def reduce(self, tensor: Tensor, *_: Any, **__: Any) -> Tensor:
        return tensor

    def all_gather(self, tensor_list: list, tensor: Tensor, **__: Any) -> list:
        return [tensor]

    def gather(self, tensor: Tensor, *_: Any, **__: Any) -> list:
        return [tensor]

    def scatter(self, tensor: Tensor, scatter_list: list, *_: Any, **__: Any) -> Tensor:
        return scatter_list[0]

    def reduce_scatter(self, output: Tensor, input_list: list, *_: Any, **__: Any) -> Tensor:
        return input_list[0]

    def all_to_all(self, output_tensor_list: list, input_tensor_list: list, *_: Any, **__: Any) -> list:
        return input_tensor_list

    def send(self, *_: Any, **__: Any) -> None:
        pass

    def recv(self, tensor: Tensor, *_: Any, **__: Any) -> Tensor:
        return tensor

    def barrier(self, *_: Any, **__: Any) -> None:
        pass

    @classmethod
    def is_available(cls) -> bool:
        return True

    @classmethod
    def is_initialized(cls) -> bool:
        return True

    @classmethod
    def init_group(cls, **_: Any) -> None:
        pass

    @classmethod
    def new_group(cls, **_: Any) -> Any:
        return object()  # a token: one process needs no real group

    @classmethod
    def destroy_group(cls, group: Any) -> None:
        pass
