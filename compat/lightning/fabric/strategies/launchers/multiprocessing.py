"""``_MultiProcessingLauncher`` (spawn / fork / forkserver): the Trainer's."""
from lightning.pytorch.strategies.launchers.multiprocessing import _MultiProcessingLauncher

__all__ = ["_MultiProcessingLauncher"]
