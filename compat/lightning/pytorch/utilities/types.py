"""Types of the Trainer's public API (step outputs, scheduler configuration)."""
from dataclasses import dataclass
from typing import Any, Mapping, Optional, Union

from torch import Tensor

STEP_OUTPUT = Optional[Union[Tensor, Mapping[str, Any]]]
EVAL_DATALOADERS = Any
TRAIN_DATALOADERS = Any
_METRIC = Union[Tensor, int, float]
_EVALUATE_OUTPUT = list
_PREDICT_OUTPUT = Any
OptimizerLRScheduler = Any
LRSchedulerTypeUnion = Any


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


class LRSchedulerConfigType(dict):
    """The dict form of :class:`LRSchedulerConfig` that ``configure_optimizers`` may return."""
