"""Questions about a user's model class: which hooks it overrides."""
from functools import partial
from typing import Any, Optional


def is_overridden(method_name: str, instance: Optional[object] = None, parent: Optional[type] = None) -> bool:
    """True if ``instance`` (or its class) defines ``method_name`` differently from ``parent``.

    ``parent`` defaults to the Lightning base class the instance derives from (LightningModule, LightningDataModule
    or Callback).
    """
    if instance is None:
        return False
    if parent is None:
        parent = _lightning_base(instance)
        if parent is None:
            raise ValueError("Expected a parent")
    instance_attr = getattr(instance, method_name, None)
    if instance_attr is None:
        return False
    if isinstance(instance_attr, partial):  # e.g. a hook wrapped with functools.partial
        instance_attr = instance_attr.func
    code = getattr(getattr(instance_attr, "__func__", instance_attr), "__code__", None)
    parent_attr = getattr(parent, method_name, None)
    if parent_attr is None:
        return True  # defined only by the child
    parent_code = getattr(parent_attr, "__code__", None)
    if hasattr(instance_attr, "__wrapped__") and code is None:
        return True
    return code is not parent_code


def _lightning_base(instance: Any) -> Optional[type]:
    from lightning.pytorch.callbacks.callback import Callback
    from lightning.pytorch.core.datamodule import LightningDataModule
    from lightning.pytorch.core.module import LightningModule

    for base in (LightningModule, LightningDataModule, Callback):
        if isinstance(instance, base):
            return base
    return None


def get_torchvision_model(model_name: str, **kwargs: Any) -> Any:
    """``torchvision.models.get_model(model_name, **kwargs)`` with a clear error when torchvision is missing."""
    try:
        from torchvision import models
    except ImportError as err:
        raise ModuleNotFoundError(
            f"`get_torchvision_model({model_name!r})` needs torchvision (pip install torchvision)."
        ) from err
    return models.get_model(model_name, **kwargs)
