"""``XLAStrategy``: data parallel across TPU cores through ``torch_xla`` (not driven by this project)."""
from typing import Any, Optional

from lightning.fabric.utilities.unavailable import xla_unavailable
from lightning.pytorch.strategies.ddp import DDPStrategy


class XLAStrategy(DDPStrategy):
    strategy_name = "xla"

    def __init__(self, accelerator: Any = None, parallel_devices: Optional[list] = None, checkpoint_io: Any = None,
                 precision_plugin: Optional[Any] = None, debug: bool = False, sync_module_states: bool = True,
                 **_: Any) -> None:
        xla_unavailable(type(self).__name__)

    # 2.6.6's spelling of the collectives (never reached: the strategy cannot be built here)
    def reduce(self, output: Any, group: Optional[Any] = None, reduce_op: Optional[Any] = "mean") -> Any:
        xla_unavailable(type(self).__name__)

    def barrier(self, name: Optional[str] = None, *args: Any, **kwargs: Any) -> None:
        xla_unavailable(type(self).__name__)
