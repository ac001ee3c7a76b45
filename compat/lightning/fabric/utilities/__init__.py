"""Small helpers shared by the Trainer and Fabric: seeding, rank-zero logging, collections, exceptions."""
from lightning.fabric.utilities.apply_func import move_data_to_device
from lightning.fabric.utilities.data import AttributeDict
from lightning.fabric.utilities.rank_zero import rank_zero_deprecation, rank_zero_info, rank_zero_only, rank_zero_warn
from lightning.fabric.utilities.seed import seed_everything
from lightning.fabric.utilities.warnings import disable_possible_user_warnings

__all__ = [
    "AttributeDict",
    "disable_possible_user_warnings",
    "move_data_to_device",
    "rank_zero_deprecation",
    "rank_zero_info",
    "rank_zero_only",
    "rank_zero_warn",
    "seed_everything",
]

# names user code imports from here whose modules are loaded on first use
_LAZY = {
    "LightningEnum": "lightning.fabric.utilities.enums",
    "Throughput": "lightning.fabric.utilities.throughput",
    "ThroughputMonitor": "lightning.fabric.utilities.throughput",
    "measure_flops": "lightning.fabric.utilities.throughput",
    "is_shared_filesystem": "lightning.fabric.utilities.distributed",
    "suggested_max_num_workers": "lightning.fabric.utilities.data",
}
__all__ += list(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'lightning.fabric.utilities' has no attribute {name!r}")
