"""Small helpers shared by the Trainer and Fabric: seeding, rank-zero logging, collections, exceptions."""
from lightning.fabric.utilities.apply_func import move_data_to_device
from lightning.fabric.utilities.data import AttributeDict
from lightning.fabric.utilities.rank_zero import rank_zero_only, rank_zero_info, rank_zero_warn
from lightning.fabric.utilities.seed import seed_everything
from lightning.fabric.utilities.warnings import disable_possible_user_warnings

__all__ = [
    "AttributeDict",
    "disable_possible_user_warnings",
    "move_data_to_device",
    "rank_zero_info",
    "rank_zero_only",
    "rank_zero_warn",
    "seed_everything",
]
