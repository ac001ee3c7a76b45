"""Fabric's plugins: precision (the Trainer's plugins, re-exported) and, from their own packages, checkpoint I/O and
cluster environments. Each is imported on first use."""
from lightning.fabric.utilities.lazy import lazy_exports

_HOMES = {"DoublePrecision": "precision", "HalfPrecision": "precision", "MixedPrecision": "precision",
          "Precision": "precision", "ClusterEnvironment": "environments"}
__all__ = ["CheckpointIO", "DoublePrecision", "HalfPrecision", "MixedPrecision", "Precision", "TorchCheckpointIO"]
_IO = ("CheckpointIO", "TorchCheckpointIO")  # live in the Trainer's package, lightning.pytorch.plugins.io
_getattr, _dir = lazy_exports(__name__, _HOMES)


def __getattr__(name: str):
    if name in _IO:
        from lightning.pytorch.plugins import io

        return getattr(io, name)
    return _getattr(name)


def __dir__() -> list:
    return sorted(set(_dir()) | set(_IO))
