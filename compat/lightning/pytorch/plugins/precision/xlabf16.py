"""``lightning.pytorch.plugins.precision.xlabf16``: a module path of the removed TPU classes that 2.6.6 still answers to (see
:mod:`lightning.pytorch._graveyard`)."""
from lightning.pytorch._graveyard import XLABf16PrecisionPlugin

__all__ = ["XLABf16PrecisionPlugin"]
