"""``KubeflowEnvironment``: a Kubeflow PyTorchJob (one process per pod; ``RANK`` is the node rank)."""
import os

from lightning.fabric.plugins.environments.cluster_environment import ClusterEnvironment


class KubeflowEnvironment(ClusterEnvironment):
    """Kubeflow's PyTorchJob operator sets ``MASTER_ADDR``/``MASTER_PORT``, ``WORLD_SIZE`` and ``RANK`` for each
    pod; Lightning runs one process per pod. Not detected automatically: pass it in ``Trainer(plugins=...)``."""

    @property
    def creates_processes_externally(self) -> bool:
        return True

    @property
    def main_address(self) -> str:
        return os.environ["MASTER_ADDR"]

    @property
    def main_port(self) -> int:
        return int(os.environ["MASTER_PORT"])

    @staticmethod
    def detect() -> bool:
        raise NotImplementedError(
            "Kubeflow is not detected automatically: pass `plugins=[KubeflowEnvironment()]` to the Trainer."
        )

    def world_size(self) -> int:
        return int(os.environ["WORLD_SIZE"])

    def set_world_size(self, size: int) -> None:
        pass  # fixed by the operator

    def global_rank(self) -> int:
        return int(os.environ["RANK"])

    def set_global_rank(self, rank: int) -> None:
        pass  # fixed by the operator

    def local_rank(self) -> int:
        return 0

    def node_rank(self) -> int:
        return self.global_rank()
