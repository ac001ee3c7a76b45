"""``TransformerEnginePrecision``: the engine's (FP8 through NVIDIA TransformerEngine, not driven by this project:
construction explains) as a Trainer plugin."""
from lightning.fabric.plugins.precision.transformer_engine import (
    TransformerEnginePrecision as _FabricTransformerEnginePrecision,
)
from lightning.pytorch.plugins.precision.precision import Precision


class TransformerEnginePrecision(Precision, _FabricTransformerEnginePrecision):
    pass
