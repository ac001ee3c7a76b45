"""``lightning.pytorch.plugins.precision.precision_plugin``: the 2.0 module path of the precision base class, which
2.6.6 still answers to (``PrecisionPlugin`` is the deprecated spelling of ``Precision``)."""
from lightning.pytorch._graveyard import PrecisionPlugin
from lightning.pytorch.plugins.precision.precision import Precision

__all__ = ["Precision", "PrecisionPlugin"]
