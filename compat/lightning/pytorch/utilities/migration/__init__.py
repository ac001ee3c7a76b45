"""Upgrading checkpoints written by older Lightning releases to the current layout."""
from lightning.pytorch.utilities.migration.utils import migrate_checkpoint, pl_legacy_patch

__all__ = ["migrate_checkpoint", "pl_legacy_patch"]
