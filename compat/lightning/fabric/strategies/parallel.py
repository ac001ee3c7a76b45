"""``lightning.fabric.strategies.parallel.ParallelStrategy``: the Trainer's base of multi-process strategies."""
from lightning.pytorch.strategies.parallel import ParallelStrategy

__all__ = ["ParallelStrategy"]
