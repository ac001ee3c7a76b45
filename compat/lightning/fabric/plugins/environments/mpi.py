"""``MPIEnvironment``: processes started by ``mpirun`` / ``mpiexec``; ranks come from ``mpi4py``'s
``COMM_WORLD``, and rank 0 picks the rendezvous address and a free port and broadcasts them."""
import logging
import socket
from typing import Any, Optional

from lightning.fabric.plugins.environments.cluster_environment import ClusterEnvironment
from lightning.fabric.plugins.environments.lightning import find_free_network_port
from lightning.fabric.utilities.imports import package_available

log = logging.getLogger(__name__)


class MPIEnvironment(ClusterEnvironment):
    def __init__(self) -> None:
        if not package_available("mpi4py"):
            raise ModuleNotFoundError("`MPIEnvironment` requires `mpi4py`: `pip install mpi4py` (with an MPI "
                                      "implementation such as Open MPI installed).")
        from mpi4py import MPI

        self._comm_world = MPI.COMM_WORLD
        self._comm_local: Optional[Any] = None
        self._node_rank: Optional[int] = None
        self._main_address: Optional[str] = None
        self._main_port: Optional[int] = None

    @property
    def creates_processes_externally(self) -> bool:
        return True

    @property
    def main_address(self) -> str:
        if self._main_address is None:
            self._init_comm_local()
        return self._main_address

    @property
    def main_port(self) -> int:
        if self._main_port is None:
            self._init_comm_local()
        return self._main_port

    @staticmethod
    def detect() -> bool:
        """Under ``mpirun`` with more than one process (needs ``mpi4py``)."""
        if not package_available("mpi4py"):
            return False
        from mpi4py import MPI

        return MPI.COMM_WORLD.Get_size() > 1

    def world_size(self) -> int:
        return self._comm_world.Get_size()

    def set_world_size(self, size: int) -> None:
        log.debug("MPIEnvironment takes the world size from MPI; set_world_size(%s) ignored.", size)

    def global_rank(self) -> int:
        return self._comm_world.Get_rank()

    def set_global_rank(self, rank: int) -> None:
        log.debug("MPIEnvironment takes the global rank from MPI; set_global_rank(%s) ignored.", rank)

    def local_rank(self) -> int:
        if self._comm_local is None:
            self._init_comm_local()
        return self._comm_local.Get_rank()

    def node_rank(self) -> int:
        if self._node_rank is None:
            self._init_comm_local()
        return self._node_rank

    def _init_comm_local(self) -> None:
        hostname = socket.gethostname()
        hosts = self._comm_world.allgather(hostname)
        self._node_rank = list(dict.fromkeys(hosts)).index(hostname)
        self._comm_local = self._comm_world.Split(color=self._node_rank)
        main = (hostname, find_free_network_port()) if self._comm_world.Get_rank() == 0 else None
        self._main_address, self._main_port = self._comm_world.bcast(main, root=0)
