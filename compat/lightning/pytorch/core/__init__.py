"""The LightningModule and LightningDataModule and what they are made of (hooks, saving, optimizers)."""
from lightning.fabric.utilities.lazy import lazy_exports

_HOMES = {"LightningDataModule": "datamodule", "LightningModule": "module"}
__all__ = ["LightningDataModule", "LightningModule"]
__getattr__, __dir__ = lazy_exports(__name__, _HOMES)
