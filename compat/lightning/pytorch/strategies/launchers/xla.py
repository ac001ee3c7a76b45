"""``_XLALauncher``: starts one process per TPU core through ``torch_xla`` (not driven by this project)."""
from typing import Any

from lightning.fabric.utilities.unavailable import xla_unavailable
from lightning.pytorch.strategies.launchers.multiprocessing import _MultiProcessingLauncher


class _XLALauncher(_MultiProcessingLauncher):
    def __init__(self, strategy: Any) -> None:
        xla_unavailable(type(self).__name__)
