"""``XLAStrategy`` under Fabric (TPUs; not driven by this project)."""
from typing import Any, Optional

from lightning.fabric.strategies.parallel import ParallelStrategy
from lightning.fabric.utilities.unavailable import xla_unavailable


class XLAStrategy(ParallelStrategy):
    def __init__(self, accelerator: Any = None, parallel_devices: Optional[list] = None, checkpoint_io: Any = None,
                 precision: Optional[Any] = None, sync_module_states: bool = True) -> None:
        xla_unavailable(type(self).__name__)
