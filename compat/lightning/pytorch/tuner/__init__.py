"""Tuning before training: learning-rate range test and batch-size search (``Tuner``)."""
from lightning.pytorch.tuner.tuning import Tuner  # noqa: F401
