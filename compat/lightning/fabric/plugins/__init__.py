"""Fabric's plugins: precision (the engine's classes, which the Trainer's subclass), checkpoint I/O and cluster
environments, each imported on first use."""
from lightning.fabric.utilities.lazy import lazy_exports

_PRECISION = ("BitsandbytesPrecision", "DeepSpeedPrecision", "DoublePrecision", "FSDPPrecision", "HalfPrecision",
              "MixedPrecision", "Precision", "TransformerEnginePrecision", "XLAPrecision")
_HOMES = {**{name: "precision" for name in _PRECISION}, "ClusterEnvironment": "environments",
          "CheckpointIO": "io", "TorchCheckpointIO": "io", "XLACheckpointIO": "io"}
__all__ = ["BitsandbytesPrecision", "CheckpointIO", "ClusterEnvironment", "DeepSpeedPrecision", "DoublePrecision",
           "FSDPPrecision", "HalfPrecision", "MixedPrecision", "Precision", "TorchCheckpointIO",
           "TransformerEnginePrecision", "XLACheckpointIO", "XLAPrecision"]
__getattr__, __dir__ = lazy_exports(__name__, _HOMES)
