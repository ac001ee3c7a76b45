"""``XLAStrategy`` under Fabric (TPUs; not driven by this project)."""
from typing import Any, Optional

from lightning.fabric.strategies.parallel import ParallelStrategy
from lightning.fabric.utilities.unavailable import xla_unavailable


class _XLACollectives:
    """The XLA strategies' collectives as 2.6.6 spells them (never reached: these strategies cannot be built here)."""

    def all_reduce(self, output: Any, group: Optional[Any] = None, reduce_op: Optional[Any] = None) -> Any:
        xla_unavailable(type(self).__name__)

    def barrier(self, name: Optional[str] = None, *args: Any, **kwargs: Any) -> None:
        xla_unavailable(type(self).__name__)


class XLAStrategy(_XLACollectives, ParallelStrategy):
    def __init__(self, accelerator: Any = None, parallel_devices: Optional[list] = None, checkpoint_io: Any = None,
                 precision: Optional[Any] = None, sync_module_states: bool = True) -> None:
        xla_unavailable(type(self).__name__)
