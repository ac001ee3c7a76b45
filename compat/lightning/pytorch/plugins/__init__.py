"""Plugins: precision, checkpoint I/O, layer synchronisation and cluster environments (each imported on first use)."""
from lightning.fabric.utilities.lazy import lazy_exports

_HOMES = {
    "AsyncCheckpointIO": "io", "CheckpointIO": "io", "TorchCheckpointIO": "io",
    "DoublePrecision": "precision", "HalfPrecision": "precision", "MixedPrecision": "precision", "Precision": "precision",
    "LayerSync": "layer_sync", "TorchSyncBatchNorm": "layer_sync",
    "ClusterEnvironment": "environments",  # reachable here, as in 2.x
}
__all__ = [
    "AsyncCheckpointIO",
    "CheckpointIO",
    "DoublePrecision",
    "HalfPrecision",
    "LayerSync",
    "MixedPrecision",
    "Precision",
    "TorchCheckpointIO",
    "TorchSyncBatchNorm",
]
__getattr__, __dir__ = lazy_exports(__name__, _HOMES)
