"""``lightning.pytorch.plugins.io.xla_plugin``: the TPU checkpoint plugin's Trainer-side path."""
from lightning.fabric.plugins.io.xla import XLACheckpointIO

__all__ = ["XLACheckpointIO"]
