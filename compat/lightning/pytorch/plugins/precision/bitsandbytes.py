"""``BitsandbytesPrecision``: the engine's (weight quantization through ``bitsandbytes``, not driven by this
project: construction explains) as a Trainer plugin."""
from lightning.fabric.plugins.precision.bitsandbytes import BitsandbytesPrecision as _FabricBitsandbytesPrecision
from lightning.pytorch.plugins.precision.precision import Precision


class BitsandbytesPrecision(Precision, _FabricBitsandbytesPrecision):
    pass
