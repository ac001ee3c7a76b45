"""``_Launcher``: the engine's launcher interface (``lightning.fabric.strategies.launchers.launcher``)."""
from lightning.fabric.strategies.launchers.launcher import _Launcher

__all__ = ["_Launcher"]
