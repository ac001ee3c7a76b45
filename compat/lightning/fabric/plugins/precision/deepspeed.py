"""``lightning.fabric.plugins.precision.deepspeed``: the Trainer's ``DeepSpeedPrecision`` (one implementation, two front doors)."""
from lightning.pytorch.plugins.precision.deepspeed import DeepSpeedPrecision

__all__ = ["DeepSpeedPrecision"]
