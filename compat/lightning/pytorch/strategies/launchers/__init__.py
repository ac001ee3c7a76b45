"""Launchers: how the processes of a multi-process strategy come to exist (re-running the script, or spawning /
forking workers from the current process)."""
from lightning.pytorch.strategies.launchers.multiprocessing import _MultiProcessingLauncher
from lightning.pytorch.strategies.launchers.subprocess_script import _SubprocessScriptLauncher

__all__ = ["_MultiProcessingLauncher", "_SubprocessScriptLauncher"]


def __getattr__(name: str):
    if name == "_XLALauncher":  # imported on demand: TPUs only
        from lightning.pytorch.strategies.launchers.xla import _XLALauncher

        return _XLALauncher
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
