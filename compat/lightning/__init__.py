"""lightning-compat: the public API of Lightning 2.x, written from scratch.

`import lightning as L` gives the names users reach for first; everything else lives under
`lightning.pytorch` (the trainer) and `lightning.fabric` (the bare-loop toolkit). Every name is imported on first use,
so importing this package costs almost nothing beyond `import torch`, and `import lightning.fabric` (which runs this
file first) never loads the trainer.
"""
import importlib

from lightning.__about__ import __version__
from lightning.fabric.utilities.lazy import lazy_exports
from lightning.fabric.utilities.seed import seed_everything

__all__ = ["Callback", "Fabric", "LightningDataModule", "LightningModule", "Trainer", "seed_everything", "__version__"]

_HOMES = {
    "Callback": "pytorch.callbacks.callback",
    "Fabric": "fabric.fabric",
    "LightningDataModule": "pytorch.core.datamodule",
    "LightningModule": "pytorch.core.module",
    "Trainer": "pytorch.trainer.trainer",
}
_exported, __dir__ = lazy_exports(__name__, _HOMES)


def __getattr__(name: str):
    if name in ("fabric", "pytorch"):  # `import lightning as L; L.pytorch.callbacks.ModelCheckpoint`
        return importlib.import_module(f"{__name__}.{name}")
    return _exported(name)
