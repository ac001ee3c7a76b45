"""``lightning.fabric.strategies.launchers.xla``: the TPU launcher's Fabric path (see the Trainer's)."""
from lightning.pytorch.strategies.launchers.xla import _XLALauncher

__all__ = ["_XLALauncher"]
