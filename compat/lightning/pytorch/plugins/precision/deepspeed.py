"""``DeepSpeedPrecision``: the precision plugin of ``DeepSpeedStrategy`` (needs ``deepspeed``; see
:mod:`lightning.fabric.utilities.unavailable`)."""
from typing import Any

from lightning.fabric.utilities.rank_zero import WarningCache
from lightning.fabric.utilities.unavailable import deepspeed_unavailable
from lightning.pytorch.plugins.precision.precision import Precision

warning_cache = WarningCache()


class DeepSpeedPrecision(Precision):
    def __init__(self, precision: str) -> None:
        deepspeed_unavailable(type(self).__name__)
