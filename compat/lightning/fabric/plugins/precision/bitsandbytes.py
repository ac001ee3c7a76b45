"""``lightning.fabric.plugins.precision.bitsandbytes``: the Trainer's ``BitsandbytesPrecision`` (one implementation, two front doors)."""
from lightning.pytorch.plugins.precision.bitsandbytes import BitsandbytesPrecision

__all__ = ["BitsandbytesPrecision"]
