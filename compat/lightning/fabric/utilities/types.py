"""Type aliases and protocols shared by Fabric and the Trainer (paths, devices, steppable optimizers)."""
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, Optional, Protocol, TypeVar, Union, runtime_checkable

import torch
from torch import Tensor

_PATH = Union[str, Path]
_DEVICE = Union[torch.device, str, int]
_MAP_LOCATION_TYPE = Optional[Union[_DEVICE, Callable[[Tensor, str], Tensor], Dict[_DEVICE, _DEVICE]]]
_PARAMETERS = Iterator[torch.nn.Parameter]
_DictKey = TypeVar("_DictKey")


@runtime_checkable
class _Stateful(Protocol[_DictKey]):
    """Anything with ``state_dict()`` / ``load_state_dict()``."""

    def state_dict(self) -> Dict[_DictKey, Any]: ...

    def load_state_dict(self, state_dict: Dict[_DictKey, Any]) -> None: ...


@runtime_checkable
class CollectibleGroup(Protocol):
    """A process group (``torch.distributed.ProcessGroup`` or a stand-in)."""

    def size(self) -> int: ...

    def rank(self) -> int: ...


@runtime_checkable
class Steppable(Protocol):
    """Anything with ``step(closure=None)`` (optimizers, schedulers that take a closure)."""

    def step(self, closure: Optional[Callable] = ...) -> Any: ...


@runtime_checkable
class Optimizable(Steppable, Protocol):
    """An optimizer as Lightning uses it: steps, and has ``param_groups`` and ``defaults``."""

    param_groups: list
    defaults: dict
    state: dict

    def state_dict(self) -> dict: ...

    def load_state_dict(self, state_dict: dict) -> None: ...
