"""Fabric's launchers: the Trainer's (``fabric.launch()`` hands them the function to run in each process)."""
from lightning.pytorch.strategies.launchers import _MultiProcessingLauncher, _SubprocessScriptLauncher

__all__ = ["_MultiProcessingLauncher", "_SubprocessScriptLauncher"]
