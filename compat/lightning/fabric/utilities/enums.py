"""``lightning.fabric.utilities.enums``: 2.6.6's private enums of precision/strategy names (the public LightningEnum lives in lightning.pytorch.utilities.enums); this path exists for imports."""
__all__: list = []
