"""``lightning.fabric.strategies.single_device.SingleDeviceStrategy``: the Trainer's one-device strategy."""
from lightning.pytorch.strategies.strategy import SingleDeviceStrategy

__all__ = ["SingleDeviceStrategy"]
