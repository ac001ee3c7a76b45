"""``ClusterEnvironment``: the interface every launcher/scheduler integration implements."""
from abc import ABC, abstractmethod


class ClusterEnvironment(ABC):
    """Tells a process its global/local/node rank, the world size and where the main process listens."""

    @property
    @abstractmethod
    def creates_processes_externally(self) -> bool:
        """True when something else (torchrun, srun, the user) started all processes, so Lightning must not."""

    @property
    @abstractmethod
    def main_address(self) -> str:
        """The host of the rank-0 process (``MASTER_ADDR``)."""

    @property
    @abstractmethod
    def main_port(self) -> int:
        """The port the rank-0 process listens on for the rendezvous (``MASTER_PORT``)."""

    @staticmethod
    @abstractmethod
    def detect() -> bool:
        """True when the current process runs in this kind of environment."""

    @abstractmethod
    def world_size(self) -> int:
        """The number of processes across all nodes."""

    @abstractmethod
    def set_world_size(self, size: int) -> None:
        pass

    @abstractmethod
    def global_rank(self) -> int:
        """The rank of this process across all nodes."""

    @abstractmethod
    def set_global_rank(self, rank: int) -> None:
        pass

    @abstractmethod
    def local_rank(self) -> int:
        """The rank of this process on its node."""

    @abstractmethod
    def node_rank(self) -> int:
        """The rank of this node."""

    def validate_settings(self, num_devices: int, num_nodes: int) -> None:
        """Raise when ``Trainer(devices, num_nodes)`` contradicts what the environment launched."""

    def teardown(self) -> None:
        """Undo what the environment changed in this process (e.g. exported variables)."""
