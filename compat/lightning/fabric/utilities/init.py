"""``lightning.fabric.utilities.init``: 2.6.6's private helpers for building modules on the meta device / without initialization; this path exists for imports."""
__all__: list = []
