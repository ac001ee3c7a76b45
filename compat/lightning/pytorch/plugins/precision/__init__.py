"""Precision plugins: 32-true (default), 64-true, 16/bf16-true and 16/bf16-mixed, FSDP's, and the classes of
backends this project does not drive (DeepSpeed, bitsandbytes, TransformerEngine, XLA: they explain themselves when
constructed). Each is imported on first use; the 1.x-era ``*PrecisionPlugin`` names 2.6.6 still ships come from
:mod:`lightning.pytorch._graveyard`."""
from lightning.fabric.utilities.lazy import lazy_exports

_HOMES = {"MixedPrecision": "amp", "DoublePrecision": "double", "HalfPrecision": "half", "Precision": "precision",
          "FSDPPrecision": "fsdp", "DeepSpeedPrecision": "deepspeed", "BitsandbytesPrecision": "bitsandbytes",
          "TransformerEnginePrecision": "transformer_engine", "XLAPrecision": "xla"}
__all__ = ["BitsandbytesPrecision", "DeepSpeedPrecision", "DoublePrecision", "FSDPPrecision", "HalfPrecision",
           "MixedPrecision", "Precision", "TransformerEnginePrecision", "XLAPrecision"]
_getattr, __dir__ = lazy_exports(__name__, _HOMES)


def __getattr__(name: str):
    if name.endswith("PrecisionPlugin"):
        from lightning.pytorch import _graveyard

        return _graveyard.deprecated(name, __name__)
    return _getattr(name)
