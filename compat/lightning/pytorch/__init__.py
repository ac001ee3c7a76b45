"""lightning.pytorch: the Trainer and everything it drives."""
import logging

from lightning.__about__ import __version__
from lightning.fabric.utilities.seed import seed_everything
from lightning.pytorch.callbacks.callback import Callback
from lightning.pytorch.core.datamodule import LightningDataModule
from lightning.pytorch.core.module import LightningModule
from lightning.pytorch.trainer.trainer import Trainer

_logger = logging.getLogger(__name__)
_logger.setLevel(logging.INFO)
if not logging.getLogger().hasHandlers():
    _logger.addHandler(logging.StreamHandler())
    _logger.propagate = False

__all__ = ["Callback", "LightningDataModule", "LightningModule", "Trainer", "__version__", "seed_everything"]
