"""``lightning.fabric.utilities.optimizer``: 2.6.6's private helpers that move optimizer state between devices; this path exists for imports."""
__all__: list = []
