"""``lightning.pytorch.trainer.call``: 2.6.6's module of hook-calling helpers (private there). Here every hook goes
through the one dispatcher of :mod:`lightning.pytorch.trainer.dispatch`; this path exists for imports."""
__all__: list = []
