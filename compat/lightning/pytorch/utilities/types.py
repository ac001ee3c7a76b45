"""Types of the Trainer's public API: step outputs, and the forms ``configure_optimizers`` may return (for type
hints such as ``def configure_optimizers(self) -> OptimizerLRSchedulerConfig``)."""
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generator, Mapping, Optional, Protocol, Sequence, Union

import torch
from torch import Tensor
from torch.optim import Optimizer
from torch.optim.lr_scheduler import LRScheduler, ReduceLROnPlateau
from typing_extensions import NotRequired, Required, TypedDict

STEP_OUTPUT = Optional[Union[Tensor, Mapping[str, Any]]]
EVAL_DATALOADERS = Any
TRAIN_DATALOADERS = Any
_METRIC = Union[Tensor, int, float]
_EVALUATE_OUTPUT = list
_PREDICT_OUTPUT = Any

LRSchedulerTypeTuple = (LRScheduler, ReduceLROnPlateau)  # for isinstance checks
LRSchedulerTypeUnion = Union[LRScheduler, ReduceLROnPlateau]
LRSchedulerType = Union[type[LRScheduler], type[ReduceLROnPlateau]]
LRSchedulerPLType = Union[LRScheduler, ReduceLROnPlateau]


class DistributedDataParallel(Protocol):
    """What the Trainer needs of a DDP-like wrapper (``torch.nn.parallel.DistributedDataParallel`` fits)."""

    def __init__(self, module: torch.nn.Module, device_ids: Optional[list] = None, output_device: Any = None,
                 dim: int = 0, broadcast_buffers: bool = True, process_group: Any = None, bucket_cap_mb: int = 25,
                 find_unused_parameters: bool = False, check_reduction: bool = False,
                 gradient_as_bucket_view: bool = False, static_graph: bool = False) -> None: ...

    @contextmanager
    def no_sync(self) -> Generator: ...


@dataclass
class LRSchedulerConfig:
    """How the Trainer steps one scheduler: every ``frequency`` ``interval``\\s (``"epoch"`` or ``"step"``)."""

    scheduler: Any
    name: Optional[str] = None
    interval: str = "epoch"
    frequency: int = 1
    reduce_on_plateau: bool = False
    monitor: Optional[str] = None
    strict: bool = True


class LRSchedulerConfigType(TypedDict, total=False):
    """The dict form of :class:`LRSchedulerConfig` that ``configure_optimizers`` may return."""

    scheduler: Required[LRSchedulerTypeUnion]
    name: Optional[str]
    interval: str
    frequency: int
    reduce_on_plateau: bool
    monitor: Optional[str]
    strict: bool


class OptimizerConfig(TypedDict):
    optimizer: Optimizer


class OptimizerLRSchedulerConfig(TypedDict):
    optimizer: Optimizer
    lr_scheduler: Union[LRSchedulerTypeUnion, LRSchedulerConfigType]
    monitor: NotRequired[str]


OptimizerLRScheduler = Optional[Union[
    Optimizer,
    Sequence[Optimizer],
    tuple[Sequence[Optimizer], Sequence[Union[LRSchedulerTypeUnion, LRSchedulerConfig]]],
    OptimizerConfig,
    OptimizerLRSchedulerConfig,
    Sequence[OptimizerConfig],
    Sequence[OptimizerLRSchedulerConfig],
]]
