"""``lightning.pytorch.trainer.configuration_validator``: 2.6.6's module of run-configuration checks (private
there). Here they live in :mod:`lightning.pytorch.trainer.validation`; this path exists for imports."""
__all__: list = []
