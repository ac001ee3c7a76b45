"""``lightning.fabric.strategies.launchers.launcher._Launcher``: the Trainer's launcher interface."""
from lightning.pytorch.strategies.launchers.launcher import _Launcher

__all__ = ["_Launcher"]
