"""Fabric spells the strategy constructors with ``precision=`` where the Trainer says ``precision_plugin=``.

Each Fabric strategy class here is a subclass of the Trainer's class that only translates its constructor
arguments; the metaclass makes ``isinstance``/``issubclass`` against a Fabric class accept the Trainer class too, so
``isinstance(Fabric(strategy="ddp").strategy, lightning.fabric.strategies.DDPStrategy)`` holds although the
registry builds the one shared implementation."""
from typing import Any


class _FabricSpelling(type):
    _trainer_class: type

    def __instancecheck__(cls, obj: Any) -> bool:
        return type.__instancecheck__(cls, obj) or isinstance(obj, cls._trainer_class)

    def __subclasscheck__(cls, subclass: type) -> bool:
        return type.__subclasscheck__(cls, subclass) or issubclass(subclass, cls._trainer_class)


class _PrecisionProperty:
    """Fabric's name for the strategy's precision plugin."""

    @property
    def precision(self) -> Any:
        return self.precision_plugin

    @precision.setter
    def precision(self, precision: Any) -> None:
        self.precision_plugin = precision
