"""``lightning.fabric.plugins.precision.transformer_engine``: the Trainer's ``TransformerEnginePrecision`` (one implementation, two front doors)."""
from lightning.pytorch.plugins.precision.transformer_engine import TransformerEnginePrecision

__all__ = ["TransformerEnginePrecision"]
