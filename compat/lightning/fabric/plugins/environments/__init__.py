"""Cluster environments: where rank, world size and the rendezvous address come from (launcher, torchrun, SLURM)."""
from lightning.fabric.plugins.environments.cluster_environment import ClusterEnvironment
from lightning.fabric.plugins.environments.kubeflow import KubeflowEnvironment
from lightning.fabric.plugins.environments.lightning import LightningEnvironment
from lightning.fabric.plugins.environments.slurm import SLURMEnvironment
from lightning.fabric.plugins.environments.torchelastic import TorchElasticEnvironment

__all__ = [
    "ClusterEnvironment", "KubeflowEnvironment", "LightningEnvironment", "SLURMEnvironment", "TorchElasticEnvironment",
]


def detect_cluster_environment() -> ClusterEnvironment:
    """The environment this process was launched in: SLURM (under ``srun``), torchrun, Kubeflow, else Lightning's own.

    ``LightningEnvironment`` always matches: either this process launches the others itself, or the user set
    ``LOCAL_RANK`` (and ``NODE_RANK`` ...) and started each process by hand.
    """
    for env_type in (SLURMEnvironment, TorchElasticEnvironment):
        if env_type.detect():
            return env_type()
    return LightningEnvironment()
