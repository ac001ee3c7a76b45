"""``lightning.pytorch.plugins.environments``: the cluster environments of ``lightning.fabric`` under their
Trainer-side import path (the same classes)."""
from lightning.fabric.plugins.environments import (
    ClusterEnvironment,
    KubeflowEnvironment,
    LightningEnvironment,
    SLURMEnvironment,
    TorchElasticEnvironment,
)

__all__ = [
    "ClusterEnvironment", "KubeflowEnvironment", "LightningEnvironment", "SLURMEnvironment", "TorchElasticEnvironment",
]
