"""The Trainer's device resolution: the engine's (``lightning.fabric.connector._DeviceSetup``) building the Trainer's
accelerators, strategies and precision plugins, with ``Trainer(...)`` named in its messages."""
from lightning.fabric.connector import _PRECISIONS, _DeviceSetup, normalize_precision

__all__ = ["DeviceSetup", "normalize_precision", "_PRECISIONS"]


class DeviceSetup(_DeviceSetup):
    """The resolved hardware choice of one Trainer."""

    _front_door = "Trainer"
    _precision_module = "lightning.pytorch.plugins.precision"

    def _accelerator_classes(self) -> tuple:
        from lightning.pytorch.accelerators.registry import AcceleratorRegistry
        from lightning.pytorch.accelerators.accelerator import Accelerator

        return AcceleratorRegistry, Accelerator

    def _strategy_classes(self) -> tuple:
        from lightning.pytorch.strategies.strategy import SingleDeviceStrategy, Strategy
        from lightning.pytorch.strategies.registry import StrategyRegistry

        return StrategyRegistry, Strategy, SingleDeviceStrategy
