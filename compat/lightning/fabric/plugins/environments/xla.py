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

    # never reached (construction raises); defined so that the class is concrete, as in 2.6.6
    creates_processes_externally = main_address = main_port = property(lambda self: xla_unavailable("XLAEnvironment"))

    def world_size(self) -> int:
        xla_unavailable(type(self).__name__)

    def set_world_size(self, size: int) -> None:
        xla_unavailable(type(self).__name__)

    def global_rank(self) -> int:
        xla_unavailable(type(self).__name__)

    def set_global_rank(self, rank: int) -> None:
        xla_unavailable(type(self).__name__)

    def local_rank(self) -> int:
        xla_unavailable(type(self).__name__)

    def node_rank(self) -> int:
        xla_unavailable(type(self).__name__)
