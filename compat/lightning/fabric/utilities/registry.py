"""``lightning.fabric.utilities.registry``: 2.6.6's private helpers for registering classes in registries (see lightning.fabric.accelerators.registry); this path exists for imports."""
__all__: list = []
