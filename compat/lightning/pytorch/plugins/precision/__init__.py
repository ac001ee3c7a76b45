"""Precision plugins: 32-true (default), 64-true, 16/bf16-true and 16/bf16-mixed (each imported on first use)."""
from lightning.fabric.utilities.lazy import lazy_exports

_HOMES = {"MixedPrecision": "amp", "DoublePrecision": "double", "HalfPrecision": "half", "Precision": "precision"}
__all__ = ["DoublePrecision", "HalfPrecision", "MixedPrecision", "Precision"]
__getattr__, __dir__ = lazy_exports(__name__, _HOMES)
