"""``XLAEnvironment``: ranks of TPU processes from ``torch_xla`` (not driven by this project)."""
from typing import Any

from lightning.fabric.plugins.environments.cluster_environment import ClusterEnvironment
from lightning.fabric.utilities.unavailable import xla_unavailable


class XLAEnvironment(ClusterEnvironment):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        xla_unavailable(type(self).__name__)

    @staticmethod
    def detect() -> bool:
        return False
