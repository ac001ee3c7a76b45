"""``lightning.pytorch.plugins.precision.hpu``: a module path of the removed HPU classes that 2.6.6 still answers to (see
:mod:`lightning.pytorch._graveyard`)."""
from lightning.pytorch._graveyard import HPUPrecisionPlugin

__all__ = ["HPUPrecisionPlugin"]
