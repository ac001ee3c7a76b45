"""``XLAPrecision``: precision on TPUs through ``torch_xla`` (no TPU support in this project; construction
explains)."""
from lightning.fabric.plugins.precision.precision import Precision
from lightning.fabric.utilities.unavailable import xla_unavailable


class XLAPrecision(Precision):
    def __init__(self, precision: str) -> None:
        xla_unavailable(type(self).__name__)
