"""``lightning.fabric.plugins.precision.fsdp``: the Trainer's ``FSDPPrecision`` (one implementation, two front doors)."""
from lightning.pytorch.plugins.precision.fsdp import FSDPPrecision

__all__ = ["FSDPPrecision"]
