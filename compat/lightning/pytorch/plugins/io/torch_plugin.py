"""``TorchCheckpointIO``: the Trainer's default checkpoint plugin, Fabric's class (local files written atomically,
fsspec URLs in one write)."""
import lightning.pytorch.utilities.checkpoint_io  # noqa: F401 - lets weights-only loads resolve old callback keys
from lightning.fabric.plugins.io.torch_io import TorchCheckpointIO

__all__ = ["TorchCheckpointIO"]
