"""Fabric's launchers: the Trainer's (``fabric.launch()`` hands them the function to run in each process)."""
from lightning.pytorch.strategies.launchers import _MultiProcessingLauncher, _SubprocessScriptLauncher

__all__ = ["_MultiProcessingLauncher", "_SubprocessScriptLauncher", "_XLALauncher"]


def __getattr__(name: str):
    if name == "_XLALauncher":  # TPUs only: imported on demand
        from lightning.fabric.strategies.launchers.xla import _XLALauncher

        return _XLALauncher
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
