"""``lightning.pytorch.plugins.precision.tpu_bf16``: a module path of the removed TPU classes that 2.6.6 still answers to (see
:mod:`lightning.pytorch._graveyard`)."""
from lightning.pytorch._graveyard import TPUBf16PrecisionPlugin

__all__ = ["TPUBf16PrecisionPlugin"]
