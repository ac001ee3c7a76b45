"""``lightning.fabric.loggers.logger``: the one ``Logger`` base that the Trainer's and Fabric's loggers share."""
from lightning.pytorch.loggers.logger import Logger, rank_zero_experiment

__all__ = ["Logger", "rank_zero_experiment"]
