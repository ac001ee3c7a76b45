"""Warning categories of the Trainer."""
from lightning.fabric.utilities.rank_zero import LightningDeprecationWarning  # noqa: F401
from lightning.fabric.utilities.warnings import PossibleUserWarning  # noqa: F401
