"""lightning-compat: the public API of Lightning 2.x, written from scratch.

`import lightning as L` gives the names users reach for first; everything else lives under
`lightning.pytorch` (the trainer) and `lightning.fabric` (the bare-loop toolkit). Heavy or optional pieces
are imported on first use so that importing this package costs almost nothing beyond `import torch`.
"""
from lightning.__about__ import __version__
from lightning.fabric.utilities.seed import seed_everything
from lightning.pytorch.callbacks.callback import Callback
from lightning.pytorch.core.datamodule import LightningDataModule
from lightning.pytorch.core.module import LightningModule
from lightning.pytorch.trainer.trainer import Trainer

__all__ = ["Callback", "Fabric", "LightningDataModule", "LightningModule", "Trainer", "seed_everything", "__version__"]


def __getattr__(name):
    if name == "Fabric":
        from lightning.fabric.fabric import Fabric

        return Fabric
    raise AttributeError(f"module 'lightning' has no attribute {name!r}")
