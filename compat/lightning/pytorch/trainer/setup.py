"""``lightning.pytorch.trainer.setup``: 2.6.6's module of Trainer-flag initialisation helpers (private there). Here
the flags are resolved in :mod:`.devices` and :mod:`.defaults`; this path exists for imports."""
__all__: list = []
