"""``lightning.fabric.strategies.strategy.Strategy``: the Trainer's strategy base."""
from lightning.pytorch.strategies.strategy import Strategy

__all__ = ["Strategy"]
