"""Checkpoint I/O plugins: how a strategy writes, reads and removes checkpoint files."""
from lightning.pytorch.plugins.io.async_plugin import AsyncCheckpointIO
from lightning.pytorch.plugins.io.checkpoint_plugin import CheckpointIO
from lightning.pytorch.plugins.io.torch_plugin import TorchCheckpointIO

__all__ = ["AsyncCheckpointIO", "CheckpointIO", "TorchCheckpointIO", "XLACheckpointIO"]


def __getattr__(name: str):
    if name == "XLACheckpointIO":  # TPUs only: imported on demand
        from lightning.fabric.plugins.io.xla import XLACheckpointIO

        return XLACheckpointIO
    if name == "HPUCheckpointIO":  # removed; see _graveyard
        from lightning.pytorch import _graveyard

        return _graveyard.deprecated(name, __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
