"""``CheckpointIO``: the interface for writing, reading and removing checkpoints (shared with the Trainer)."""
from lightning.pytorch.plugins.io.checkpoint_plugin import CheckpointIO

__all__ = ["CheckpointIO"]
