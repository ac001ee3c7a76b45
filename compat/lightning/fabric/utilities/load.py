"""``lightning.fabric.utilities.load``: 2.6.6's private lazy checkpoint loading helpers; this path exists for imports."""
__all__: list = []
