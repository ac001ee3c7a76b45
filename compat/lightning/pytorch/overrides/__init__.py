"""``lightning.pytorch.overrides``: helpers that adjust torch's distributed classes for the Trainer."""
