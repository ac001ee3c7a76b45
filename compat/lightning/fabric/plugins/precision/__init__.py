"""Fabric's precision plugins: the very classes the Trainer uses (one implementation, two front doors).

``Fabric(plugins=MixedPrecision("bf16-mixed", "cpu"))`` and ``Trainer(plugins=...)`` accept the same objects.
:mod:`.loop` adapts them to a hand-written loop (backward and optimizer step without Trainer hooks).
"""
from lightning.pytorch.plugins.precision import DoublePrecision, HalfPrecision, MixedPrecision, Precision

__all__ = ["DoublePrecision", "HalfPrecision", "MixedPrecision", "Precision"]
