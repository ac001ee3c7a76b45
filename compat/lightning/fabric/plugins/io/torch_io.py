"""``TorchCheckpointIO``: checkpoints through ``torch.save`` / ``torch.load`` (shared with the Trainer)."""
from lightning.pytorch.plugins.io.torch_plugin import TorchCheckpointIO

__all__ = ["TorchCheckpointIO"]
