"""``data_connector``: 2.6.6's dataloader helper (private there; see :mod:`lightning.pytorch.trainer.data`).
``warning_cache`` is the cache the dataloader warnings go through (clear it to see them again)."""
from lightning.pytorch.utilities.data import _warning_cache as warning_cache

__all__ = ["warning_cache"]
