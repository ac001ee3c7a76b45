"""``lightning.fabric.plugins.precision.utils``: 2.6.6's private dtype helpers; the ones used here live in
:mod:`lightning.pytorch.plugins.precision.double` (``_default_dtype``)."""
__all__: list = []
