"""``lightning.fabric.plugins.precision.precision.Precision``: the Trainer's base precision plugin."""
from lightning.pytorch.plugins.precision.precision import Precision

__all__ = ["Precision"]
