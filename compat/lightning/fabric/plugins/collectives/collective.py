"""``Collective``: the interface. An instance owns at most one process group: ``setup()`` initializes the
default group if needed, ``create_group()`` makes this instance's group, ``teardown()`` destroys it."""
from abc import ABC, abstractmethod
from typing import Any, Optional

from torch import Tensor
from typing_extensions import Self


class Collective(ABC):
    def __init__(self) -> None:
        self._group: Optional[Any] = None

    @property
    @abstractmethod
    def rank(self) -> int: ...

    @property
    @abstractmethod
    def world_size(self) -> int: ...

    @property
    def group(self) -> Any:
        if self._group is None:
            raise RuntimeError(f"`{type(self).__name__}` has no group yet: call `.create_group()` (after `.setup()`).")
        return self._group

    # ------------------------------------------------------------ operations
    @abstractmethod
    def broadcast(self, tensor: Tensor, src: int) -> Tensor: ...

    @abstractmethod
    def all_reduce(self, tensor: Tensor, op: Any) -> Tensor: ...

    @abstractmethod
    def reduce(self, tensor: Tensor, dst: int, op: Any) -> Tensor: ...

    @abstractmethod
    def all_gather(self, tensor_list: list, tensor: Tensor) -> list: ...

    @abstractmethod
    def gather(self, tensor: Tensor, gather_list: list, dst: int = 0) -> list: ...

    @abstractmethod
    def scatter(self, tensor: Tensor, scatter_list: list, src: int = 0) -> Tensor: ...

    @abstractmethod
    def reduce_scatter(self, output: Tensor, input_list: list, op: Any) -> Tensor: ...

    @abstractmethod
    def all_to_all(self, output_tensor_list: list, input_tensor_list: list) -> list: ...

    @abstractmethod
    def send(self, tensor: Tensor, dst: int, tag: int = 0) -> None: ...

    @abstractmethod
    def recv(self, tensor: Tensor, src: Optional[int] = None, tag: int = 0) -> Tensor: ...

    @abstractmethod
    def barrier(self, device_ids: Optional[list] = None) -> None: ...

    # ------------------------------------------------------------ groups
    @classmethod
    @abstractmethod
    def is_available(cls) -> bool: ...

    @classmethod
    @abstractmethod
    def is_initialized(cls) -> bool: ...

    @classmethod
    @abstractmethod
    def init_group(cls, **kwargs: Any) -> None: ...

    @classmethod
    @abstractmethod
    def new_group(cls, **kwargs: Any) -> Any: ...

    @classmethod
    @abstractmethod
    def destroy_group(cls, group: Any) -> None: ...

    def setup(self, **kwargs: Any) -> Self:
        """Initialize the default group (``init_group(**kwargs)``) unless it exists."""
        if not self.is_initialized():
            self.init_group(**kwargs)
        return self

    def create_group(self, **kwargs: Any) -> Self:
        """Make this instance's own group (``new_group(**kwargs)``, e.g. ``ranks=[0, 1]``)."""
        if self._group is not None:
            raise RuntimeError(f"`{type(self).__name__}` already owns a group.")
        self._group = self.new_group(**kwargs)
        return self

    def teardown(self) -> Self:
        if self._group is None:
            raise RuntimeError(f"`{type(self).__name__}` does not own a group to destroy.")
        self.destroy_group(self._group)
        self._group = None
        return self
