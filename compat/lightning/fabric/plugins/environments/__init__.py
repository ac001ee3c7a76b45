"""Cluster environments: where rank, world size and the rendezvous address come from (launcher, torchrun, SLURM).

Each environment is imported on first use: a single-device run never needs them.
"""
from lightning.fabric.utilities.lazy import lazy_exports

_HOMES = {"ClusterEnvironment": "cluster_environment", "KubeflowEnvironment": "kubeflow",
          "LightningEnvironment": "lightning", "LSFEnvironment": "lsf", "MPIEnvironment": "mpi",
          "SLURMEnvironment": "slurm", "TorchElasticEnvironment": "torchelastic", "XLAEnvironment": "xla"}
__all__ = [
    "ClusterEnvironment", "KubeflowEnvironment", "LightningEnvironment", "LSFEnvironment", "MPIEnvironment",
    "SLURMEnvironment", "TorchElasticEnvironment", "XLAEnvironment",
]
__getattr__, __dir__ = lazy_exports(__name__, _HOMES)


def detect_cluster_environment() -> "ClusterEnvironment":
    """The environment this process was launched in: SLURM (under ``srun``), torchrun, LSF (``jsrun``), MPI
    (``mpirun``, with mpi4py), else Lightning's own.

    ``LightningEnvironment`` always matches: either this process launches the others itself, or the user set
    ``LOCAL_RANK`` (and ``NODE_RANK`` ...) and started each process by hand.
    """
    from lightning.fabric.plugins.environments.lightning import LightningEnvironment
    from lightning.fabric.plugins.environments.lsf import LSFEnvironment
    from lightning.fabric.plugins.environments.mpi import MPIEnvironment
    from lightning.fabric.plugins.environments.slurm import SLURMEnvironment
    from lightning.fabric.plugins.environments.torchelastic import TorchElasticEnvironment

    for env_type in (SLURMEnvironment, TorchElasticEnvironment, LSFEnvironment, MPIEnvironment):
        if env_type.detect():
            return env_type()
    return LightningEnvironment()
