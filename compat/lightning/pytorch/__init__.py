"""lightning.pytorch: the Trainer and everything it drives."""
import logging

from lightning.__about__ import __version__
from lightning.fabric.utilities.seed import seed_everything
from lightning.fabric.utilities.warnings import _apply_environment
from lightning.pytorch.callbacks.callback import Callback
from lightning.pytorch.core.datamodule import LightningDataModule
from lightning.pytorch.core.module import LightningModule
from lightning.pytorch.trainer.trainer import Trainer

_logger = logging.getLogger(__name__)
_logger.setLevel(logging.INFO)
if not logging.getLogger().hasHandlers():
    _logger.addHandler(logging.StreamHandler())
    _logger.propagate = False

_apply_environment()

__all__ = ["Callback", "LightningDataModule", "LightningModule", "Trainer", "__version__", "seed_everything"]

_SUBMODULES = {"accelerators", "callbacks", "cli", "core", "demos", "loggers", "loops", "plugins", "profilers",
               "strategies", "trainer", "tuner", "utilities"}


def __getattr__(name: str):
    # `pl.loggers.CSVLogger` after `import lightning.pytorch as pl`, without importing every subsystem up front
    if name in _SUBMODULES:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
