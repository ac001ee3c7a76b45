"""``precision="16-true"`` / ``"bf16-true"``: the engine's half-precision plugin with the Trainer's backward and
optimizer step."""
from lightning.fabric.plugins.precision.half import HalfPrecision as _FabricHalfPrecision
from lightning.pytorch.plugins.precision.precision import Precision


class HalfPrecision(Precision, _FabricHalfPrecision):
    pass
