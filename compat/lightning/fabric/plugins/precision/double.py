"""``lightning.fabric.plugins.precision.double.DoublePrecision``: the Trainer's float64 plugin."""
from lightning.pytorch.plugins.precision.double import DoublePrecision

__all__ = ["DoublePrecision"]
