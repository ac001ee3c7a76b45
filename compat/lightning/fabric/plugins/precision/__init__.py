"""The engine's precision plugins: how a model, its data and its gradients are cast and scaled in a hand-written
loop (``Fabric(precision=...)`` or ``Fabric(plugins=MixedPrecision("bf16-mixed", "cpu"))``). The Trainer's plugins
subclass these. The classes of backends this project does not drive (bitsandbytes, DeepSpeed, TransformerEngine,
XLA) explain themselves when built. Each is imported on first use."""
from lightning.fabric.utilities.lazy import lazy_exports

__all__ = ["BitsandbytesPrecision", "DeepSpeedPrecision", "DoublePrecision", "FSDPPrecision", "HalfPrecision",
           "MixedPrecision", "Precision", "TransformerEnginePrecision", "XLAPrecision"]
__getattr__, __dir__ = lazy_exports(__name__, {
    "MixedPrecision": "amp", "DoublePrecision": "double", "HalfPrecision": "half", "Precision": "precision",
    "BitsandbytesPrecision": "bitsandbytes", "DeepSpeedPrecision": "deepspeed", "FSDPPrecision": "fsdp",
    "TransformerEnginePrecision": "transformer_engine", "XLAPrecision": "xla"})
