"""``lightning.fabric.plugins.precision.amp.MixedPrecision``: the Trainer's autocast / GradScaler plugin."""
from lightning.pytorch.plugins.precision.amp import MixedPrecision

__all__ = ["MixedPrecision"]
