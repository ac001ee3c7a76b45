"""``lightning.fabric.utilities.device_dtype_mixin``: 2.6.6's private mixin that tracks a module's device and dtype (LightningModule.device / .dtype here); this path exists for imports."""
__all__: list = []
