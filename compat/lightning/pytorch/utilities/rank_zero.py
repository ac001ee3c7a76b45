"""Rank-zero printing and warnings for the Trainer (the same functions as Fabric's)."""
from lightning.fabric.utilities.rank_zero import (  # noqa: F401
    LightningDeprecationWarning,
    WarningCache,
    rank_zero_debug,
    rank_zero_deprecation,
    rank_zero_info,
    rank_zero_only,
    rank_zero_warn,
)
