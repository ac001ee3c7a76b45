"""Launchers: how the processes of a multi-process strategy come to exist (re-running the script, or spawning /
forking workers from the current process); ``fabric.launch()`` hands them the function to run in each process."""
from lightning.fabric.strategies.launchers.multiprocessing import _MultiProcessingLauncher
from lightning.fabric.strategies.launchers.subprocess_script import _SubprocessScriptLauncher

__all__ = ["_MultiProcessingLauncher", "_SubprocessScriptLauncher", "_XLALauncher"]


def __getattr__(name: str):
    if name == "_XLALauncher":  # TPUs only: imported on demand
        from lightning.fabric.strategies.launchers.xla import _XLALauncher

        return _XLALauncher
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
