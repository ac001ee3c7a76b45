"""``lightning.pytorch.strategies.single_device``: the one-device strategy's 2.x module path."""
from lightning.pytorch.strategies.strategy import SingleDeviceStrategy

__all__ = ["SingleDeviceStrategy"]
