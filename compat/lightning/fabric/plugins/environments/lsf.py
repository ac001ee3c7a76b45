"""``LSFEnvironment``: processes started by IBM LSF's ``jsrun`` (``JSM_NAMESPACE_RANK`` / ``_LOCAL_RANK`` /
``_SIZE``); the hosts come from the rank file in ``LSB_DJOB_RANKFILE`` (its first line is the launch node, which runs
no task), the port from ``LSB_JOBID`` so that every task computes the same rendezvous point."""
import logging
import os
import socket

from lightning.fabric.plugins.environments.cluster_environment import ClusterEnvironment

log = logging.getLogger(__name__)
_REQUIRED = ("LSB_JOBID", "LSB_DJOB_RANKFILE", "JSM_NAMESPACE_LOCAL_RANK", "JSM_NAMESPACE_SIZE")


def _int_from_env(name: str, what: str) -> int:
    value = os.environ.get(name)
    if value is None:
        raise ValueError(f"Cannot determine {what}: the environment variable `{name}` is not set. Start the job "
                         "with `jsrun`.")
    return int(value)


class LSFEnvironment(ClusterEnvironment):
    def __init__(self) -> None:
        super().__init__()
        hosts = self._read_hosts()
        self._main_address = hosts[0]
        self._main_port = self._get_main_port()
        # node rank: position of this host among the distinct hosts, in rank-file order
        self._node_rank = list(dict.fromkeys(hosts)).index(socket.gethostname())
        os.environ["MASTER_ADDR"] = str(self._main_address)  # what torch.distributed's env:// rendezvous reads
        os.environ["MASTER_PORT"] = str(self._main_port)

    @property
    def creates_processes_externally(self) -> bool:
        return True

    @property
    def main_address(self) -> str:
        return self._main_address

    @property
    def main_port(self) -> int:
        return self._main_port

    @staticmethod
    def detect() -> bool:
        return all(name in os.environ for name in _REQUIRED)

    def world_size(self) -> int:
        return _int_from_env("JSM_NAMESPACE_SIZE", "the world size")

    def set_world_size(self, size: int) -> None:
        log.debug("LSFEnvironment takes the world size from jsrun; set_world_size(%s) ignored.", size)

    def global_rank(self) -> int:
        return _int_from_env("JSM_NAMESPACE_RANK", "the global rank")

    def set_global_rank(self, rank: int) -> None:
        log.debug("LSFEnvironment takes the global rank from jsrun; set_global_rank(%s) ignored.", rank)

    def local_rank(self) -> int:
        return _int_from_env("JSM_NAMESPACE_LOCAL_RANK", "the local rank")

    def node_rank(self) -> int:
        return self._node_rank

    @staticmethod
    def _read_hosts() -> list:
        """The compute hosts of the job, one per task (the rank file's first line, the launch node, left out)."""
        rankfile = os.environ.get("LSB_DJOB_RANKFILE")
        if rankfile is None:
            raise ValueError("Did not find the environment variable `LSB_DJOB_RANKFILE`")
        if not rankfile:
            raise ValueError("The environment variable `LSB_DJOB_RANKFILE` is empty")
        with open(rankfile) as f:
            return [line.strip() for line in f][1:]

    @staticmethod
    def _get_main_port() -> int:
        if "MASTER_PORT" in os.environ:
            return int(os.environ["MASTER_PORT"])
        if "LSB_JOBID" in os.environ:
            return int(os.environ["LSB_JOBID"]) % 1000 + 10000
        raise ValueError("Could not find job id in environment variable LSB_JOBID")
