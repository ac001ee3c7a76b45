"""``XLACheckpointIO``: checkpoints of TPU tensors through ``torch_xla`` (not driven by this project)."""
from typing import Any

from lightning.fabric.plugins.io.torch_io import TorchCheckpointIO
from lightning.fabric.utilities.unavailable import xla_unavailable


class XLACheckpointIO(TorchCheckpointIO):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        xla_unavailable(type(self).__name__)
