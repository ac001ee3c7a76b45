"""``logger_connector.result``: the store behind ``self.log`` (see :mod:`lightning.pytorch.trainer.results`);
``warning_cache`` is the logging warnings' cache."""
from lightning.pytorch.trainer.results import _warning_cache as warning_cache

__all__ = ["warning_cache"]
