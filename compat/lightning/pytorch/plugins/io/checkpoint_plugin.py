"""``CheckpointIO``: the interface a strategy uses to persist checkpoint dicts (Fabric's class; subclass it for
other storage)."""
from lightning.fabric.plugins.io.checkpoint_io import CheckpointIO

__all__ = ["CheckpointIO"]
