"""``XLAPrecision`` under Fabric's path (Fabric's spelling takes ``precision`` without a default)."""
from lightning.pytorch.plugins.precision.xla import XLAPrecision as _TrainerXLAPrecision


class XLAPrecision(_TrainerXLAPrecision):
    def __init__(self, precision: str) -> None:
        super().__init__(precision)
