"""``XLAPrecision``: precision on TPUs through ``torch_xla`` (no TPU support in this project)."""
from lightning.fabric.utilities.unavailable import xla_unavailable
from lightning.pytorch.plugins.precision.precision import Precision


class XLAPrecision(Precision):
    def __init__(self, precision: str = "32-true") -> None:
        xla_unavailable(type(self).__name__)
