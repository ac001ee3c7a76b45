"""``DeepSpeedPrecision``: the precision plugin of ``DeepSpeedStrategy`` (needs ``deepspeed``; see
:mod:`lightning.fabric.utilities.unavailable`)."""
from lightning.fabric.plugins.precision.precision import Precision
from lightning.fabric.utilities.unavailable import deepspeed_unavailable


class DeepSpeedPrecision(Precision):
    def __init__(self, precision: str) -> None:
        deepspeed_unavailable(type(self).__name__)
