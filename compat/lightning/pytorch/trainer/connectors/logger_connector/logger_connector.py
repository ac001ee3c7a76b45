"""``logger_connector.logger_connector``: moving logged values to the loggers (see
:mod:`lightning.pytorch.trainer.metric_flow`); ``warning_cache`` is the logging warnings' cache."""
from lightning.pytorch.trainer.results import _warning_cache as warning_cache

__all__ = ["warning_cache"]
