"""``lightning.pytorch.strategies.single_hpu``: a module path of the removed HPU classes that 2.6.6 still answers to (see
:mod:`lightning.pytorch._graveyard`)."""
from lightning.pytorch._graveyard import SingleHPUStrategy

__all__ = ["SingleHPUStrategy"]
