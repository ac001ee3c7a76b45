"""Plugins: precision, checkpoint I/O, layer synchronisation and cluster environments (each imported on first use)."""
from lightning.fabric.utilities.lazy import lazy_exports

_PRECISION = ("BitsandbytesPrecision", "DeepSpeedPrecision", "DoublePrecision", "FSDPPrecision", "HalfPrecision",
              "MixedPrecision", "Precision", "TransformerEnginePrecision", "XLAPrecision")
_HOMES = {
    "AsyncCheckpointIO": "io", "CheckpointIO": "io", "TorchCheckpointIO": "io", "XLACheckpointIO": "io",
    **{name: "precision" for name in _PRECISION},
    "LayerSync": "layer_sync", "TorchSyncBatchNorm": "layer_sync",
    "ClusterEnvironment": "environments",  # reachable here, as in 2.x
}
__all__ = [
    "AsyncCheckpointIO",
    "BitsandbytesPrecision",
    "CheckpointIO",
    "DeepSpeedPrecision",
    "DoublePrecision",
    "FSDPPrecision",
    "HalfPrecision",
    "LayerSync",
    "MixedPrecision",
    "Precision",
    "TorchCheckpointIO",
    "TorchSyncBatchNorm",
    "TransformerEnginePrecision",
    "XLACheckpointIO",
    "XLAPrecision",
]
_getattr, __dir__ = lazy_exports(__name__, _HOMES)


def __getattr__(name: str):
    if name.endswith("PrecisionPlugin") or name == "HPUCheckpointIO":  # old spellings 2.6.6 keeps (see _graveyard)
        from lightning.pytorch import _graveyard

        return _graveyard.deprecated(name, __name__)
    return _getattr(name)
