"""``TorchElasticEnvironment``: processes started by ``torchrun`` (``RANK``, ``LOCAL_RANK``, ``WORLD_SIZE``,
``GROUP_RANK``, ``MASTER_ADDR``, ``MASTER_PORT``, ``TORCHELASTIC_RUN_ID``)."""
import logging
import os

import torch.distributed

from lightning.fabric.plugins.environments.cluster_environment import ClusterEnvironment
from lightning.fabric.utilities.rank_zero import rank_zero_warn

log = logging.getLogger(__name__)


class TorchElasticEnvironment(ClusterEnvironment):
    """Ranks and world size come from torchrun; they cannot be changed from inside the process."""

    @property
    def creates_processes_externally(self) -> bool:
        return True

    @property
    def main_address(self) -> str:
        if "MASTER_ADDR" not in os.environ:
            rank_zero_warn("MASTER_ADDR is not set; using 127.0.0.1 (this machine).")
            os.environ["MASTER_ADDR"] = "127.0.0.1"
        return os.environ["MASTER_ADDR"]

    @property
    def main_port(self) -> int:
        if "MASTER_PORT" not in os.environ:
            rank_zero_warn("MASTER_PORT is not set; using 12910.")
            os.environ["MASTER_PORT"] = "12910"
        return int(os.environ["MASTER_PORT"])

    @staticmethod
    def detect() -> bool:
        return torch.distributed.is_available() and torch.distributed.is_torchelastic_launched()

    def world_size(self) -> int:
        return _launch_variable("WORLD_SIZE")

    def set_world_size(self, size: int) -> None:
        log.debug("torchrun fixes the world size; ignoring TorchElasticEnvironment.set_world_size(%s).", size)

    def global_rank(self) -> int:
        return _launch_variable("RANK")

    def set_global_rank(self, rank: int) -> None:
        log.debug("torchrun fixes the global rank; ignoring TorchElasticEnvironment.set_global_rank(%s).", rank)

    def local_rank(self) -> int:
        return _launch_variable("LOCAL_RANK")

    def node_rank(self) -> int:
        return int(os.environ.get("GROUP_RANK", 0))

    def validate_settings(self, num_devices: int, num_nodes: int) -> None:
        if num_devices * num_nodes != self.world_size():
            raise ValueError(
                f"`Trainer(devices={num_devices}, num_nodes={num_nodes})` asks for {num_devices * num_nodes} "
                f"processes, but torchrun started {self.world_size()} (WORLD_SIZE). Make them agree, e.g. "
                f"`torchrun --nproc_per_node={num_devices} --nnodes={num_nodes}`."
            )


def _launch_variable(name: str) -> int:
    """A variable torchrun sets in every process it starts; missing means the process was not started by it."""
    try:
        return int(os.environ[name])
    except KeyError:
        # a KeyError still, as in 2.6.6, but one that says what is wrong
        raise KeyError(
            f"{name}: TORCHELASTIC_RUN_ID is set, so this process counts as started by torchrun, but torchrun's "
            f"{name} is not in the environment. Start the script with `torchrun`, or unset TORCHELASTIC_RUN_ID."
        ) from None
