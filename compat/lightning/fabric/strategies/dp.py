"""``DataParallelStrategy``: ``torch.nn.DataParallel`` (one process driving several GPUs). Lightning 2.x keeps it
only in Fabric; this project does not implement it: use ``strategy="ddp"`` (one process per device) instead."""
from typing import Any, Optional

from lightning.fabric.strategies.parallel import ParallelStrategy


class DataParallelStrategy(ParallelStrategy):
    def __init__(self, accelerator: Any = None, parallel_devices: Optional[list] = None, checkpoint_io: Any = None,
                 precision: Optional[Any] = None) -> None:
        raise NotImplementedError("`DataParallelStrategy` (torch.nn.DataParallel) is not implemented by "
                                  "lightning-compat: use `strategy='ddp'`, which is faster and works on CPU too.")

    # 2.6.6's spelling of the collectives (never reached: the strategy cannot be built)
    def all_reduce(self, collection: Any, group: Optional[Any] = None, reduce_op: Optional[Any] = "mean") -> Any:
        return collection

    def barrier(self, *args: Any, **kwargs: Any) -> None:
        pass
