"""``logger_connector``: what ``self.log`` stores and when it reaches the loggers (see
:mod:`lightning.pytorch.trainer.results` and :mod:`lightning.pytorch.trainer.metric_flow`)."""
