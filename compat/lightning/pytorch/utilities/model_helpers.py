"""Questions about a user's model class: which hooks it overrides."""
import sys
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
    instance_attr = _unwrapped(getattr(instance, method_name, None))
    if instance_attr is None:
        return False
    parent_attr = getattr(parent, method_name, None)
    if parent_attr is None:
        return True  # defined only by the child (a 1.x hook 2.x no longer declares)
    parent_attr = getattr(parent_attr, "__wrapped__", parent_attr)
    return getattr(instance_attr, "__code__", None) is not getattr(parent_attr, "__code__", None)


def _unwrapped(attr: Any) -> Any:
    """What a hook attribute really runs: through ``functools.wraps`` wrappers (so a recording or profiling wrapper
    around the base hook does not count as an override), ``Mock(wraps=...)`` and ``functools.partial``."""
    if attr is None:
        return None
    attr = getattr(attr, "__wrapped__", attr)
    mock = sys.modules.get("unittest.mock")  # no Mock exists unless something imported it (kept out of start-up)
    if mock is not None and isinstance(attr, mock.Mock):
        return attr._mock_wraps
    if isinstance(attr, partial):
        return attr.func
    return attr


def _lightning_base(instance: Any) -> Optional[type]:
    for module, name in _BASES:
        base = imported_class(module, name)
        if base is not None and isinstance(instance, base):
            return base
    return None


_BASES = (("lightning.pytorch.core.module", "LightningModule"),
          ("lightning.pytorch.core.datamodule", "LightningDataModule"),
          ("lightning.pytorch.callbacks.callback", "Callback"))


def imported_class(module: str, name: str) -> Optional[type]:
    """The class ``module.name`` if its module is imported, else None. Recognising an instance of a class defined in
    a higher layer needs no import: no instance exists before its class's module is imported."""
    found = sys.modules.get(module)
    return getattr(found, name, None) if found is not None else None


def get_torchvision_model(model_name: str, **kwargs: Any) -> Any:
    """``torchvision.models.get_model(model_name, **kwargs)`` with a clear error when torchvision is missing."""
    try:
        from torchvision import models
    except ImportError as err:
        raise ModuleNotFoundError(
            f"`get_torchvision_model({model_name!r})` needs torchvision (pip install torchvision)."
        ) from err
    return models.get_model(model_name, **kwargs)
