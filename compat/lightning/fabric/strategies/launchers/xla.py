"""``_XLALauncher``: starts one process per TPU core through ``torch_xla`` (not driven by this project)."""
from typing import Any

from lightning.fabric.strategies.launchers.multiprocessing import _MultiProcessingLauncher
from lightning.fabric.utilities.unavailable import xla_unavailable

__all__ = ["_XLALauncher"]


class _XLALauncher(_MultiProcessingLauncher):
    def __init__(self, strategy: Any) -> None:
        xla_unavailable(type(self).__name__)
