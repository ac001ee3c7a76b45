"""``lightning.pytorch.strategies.single_tpu``: a module path of the removed TPU classes that 2.6.6 still answers to (see
:mod:`lightning.pytorch._graveyard`)."""
from lightning.pytorch._graveyard import SingleTPUStrategy

__all__ = ["SingleTPUStrategy"]
