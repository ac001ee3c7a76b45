"""``pytorch_lightning.utilities.argparse`` (1.x, removed in 2.0): the very module ``lightning.pytorch._legacy.argparse``,
which the 1.x ``Trainer`` / ``LightningDataModule`` argparse classmethods use too (one copy, the same functions)."""
import sys

from lightning.pytorch._legacy import argparse as _helpers

sys.modules[__name__] = _helpers
