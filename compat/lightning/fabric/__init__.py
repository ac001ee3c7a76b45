"""lightning.fabric: devices, precision and strategies for users who keep their own training loop."""
import logging

from lightning.fabric.utilities.seed import seed_everything
from lightning.fabric.utilities.warnings import _apply_environment

_logger = logging.getLogger(__name__)
_logger.setLevel(logging.INFO)
if not logging.getLogger().hasHandlers():  # as the Trainer's package: info lines reach the console by default
    _logger.addHandler(logging.StreamHandler())
    _logger.propagate = False

_apply_environment()

__all__ = ["Fabric", "is_wrapped", "seed_everything"]


def __getattr__(name):
    if name == "Fabric":
        from lightning.fabric.fabric import Fabric

        return Fabric
    if name == "is_wrapped":
        from lightning.fabric.wrappers import is_wrapped

        return is_wrapped
    raise AttributeError(f"module 'lightning.fabric' has no attribute {name!r}")
