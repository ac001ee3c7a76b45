"""``lightning.pytorch.strategies.hpu_parallel``: a module path of the removed HPU classes that 2.6.6 still answers to (see
:mod:`lightning.pytorch._graveyard`)."""
from lightning.pytorch._graveyard import HPUParallelStrategy

__all__ = ["HPUParallelStrategy"]
