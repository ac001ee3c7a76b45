"""``lightning.pytorch.accelerators.tpu``: a module path of the removed TPU classes that 2.6.6 still answers to (see
:mod:`lightning.pytorch._graveyard`)."""
from lightning.pytorch._graveyard import TPUAccelerator

__all__ = ["TPUAccelerator"]
