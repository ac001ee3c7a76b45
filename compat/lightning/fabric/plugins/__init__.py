"""Fabric's plugins: precision (the Trainer's plugins, re-exported) and, from their own packages, checkpoint I/O and
cluster environments."""
from lightning.fabric.plugins.precision import DoublePrecision, HalfPrecision, MixedPrecision, Precision
from lightning.pytorch.plugins.io.checkpoint_plugin import CheckpointIO
from lightning.pytorch.plugins.io.torch_plugin import TorchCheckpointIO

__all__ = ["CheckpointIO", "DoublePrecision", "HalfPrecision", "MixedPrecision", "Precision", "TorchCheckpointIO"]


def __getattr__(name: str):
    if name == "ClusterEnvironment":  # lives with the distributed code; imported on first use
        from lightning.fabric.plugins.environments import ClusterEnvironment

        return ClusterEnvironment
    raise AttributeError(f"module 'lightning.fabric.plugins' has no attribute {name!r}")
