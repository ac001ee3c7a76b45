"""``lightning.fabric.plugins.precision.half.HalfPrecision``: the Trainer's 16-true / bf16-true plugin."""
from lightning.pytorch.plugins.precision.half import HalfPrecision

__all__ = ["HalfPrecision"]
