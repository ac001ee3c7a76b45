"""Fabric's precision plugins: the very classes the Trainer uses (one implementation, two front doors).

``Fabric(plugins=MixedPrecision("bf16-mixed", "cpu"))`` and ``Trainer(plugins=...)`` accept the same objects.
:mod:`.loop` adapts them to a hand-written loop (backward and optimizer step without Trainer hooks). The classes of
backends this project does not drive (bitsandbytes, DeepSpeed, TransformerEngine, XLA) explain themselves when built.
"""
from lightning.fabric.utilities.lazy import lazy_exports
from lightning.pytorch.plugins.precision import DoublePrecision, HalfPrecision, MixedPrecision, Precision

__all__ = ["BitsandbytesPrecision", "DeepSpeedPrecision", "DoublePrecision", "FSDPPrecision", "HalfPrecision",
           "MixedPrecision", "Precision", "TransformerEnginePrecision", "XLAPrecision"]
__getattr__, __dir__ = lazy_exports(__name__, {
    "BitsandbytesPrecision": "bitsandbytes", "DeepSpeedPrecision": "deepspeed", "FSDPPrecision": "fsdp",
    "TransformerEnginePrecision": "transformer_engine", "XLAPrecision": "xla"})
