"""Strategies: how and where training runs (one device; several processes via torch.distributed)."""
from lightning.pytorch.strategies.strategy import SingleDeviceStrategy, Strategy

__all__ = ["SingleDeviceStrategy", "Strategy"]
