"""``XLAFSDPStrategy``: FSDP on TPUs through ``torch_xla`` (not driven by this project)."""
from typing import Any, Optional

from lightning.fabric.strategies.parallel import ParallelStrategy
from lightning.fabric.strategies.xla import _XLACollectives
from lightning.fabric.utilities.unavailable import xla_unavailable


class XLAFSDPStrategy(_XLACollectives, ParallelStrategy):
    def __init__(self, accelerator: Any = None, parallel_devices: Optional[list] = None, checkpoint_io: Any = None,
                 precision: Optional[Any] = None, auto_wrap_policy: Any = None,
                 activation_checkpointing_policy: Optional[set] = None, state_dict_type: str = "sharded",
                 sequential_save: bool = False, **kwargs: Any) -> None:
        xla_unavailable(type(self).__name__)
