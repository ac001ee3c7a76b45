"""Availability flags for the Trainer's optional dependencies (checked without importing them)."""
from lightning.fabric.utilities.imports import _TORCH_GREATER_EQUAL_2_4, package_available  # noqa: F401

_OMEGACONF_AVAILABLE = package_available("omegaconf")
_TORCHVISION_AVAILABLE = package_available("torchvision")
_RICH_AVAILABLE = package_available("rich")
_TORCHMETRICS_AVAILABLE = package_available("torchmetrics")
_JSONARGPARSE_AVAILABLE = package_available("jsonargparse")
_MATPLOTLIB_AVAILABLE = package_available("matplotlib")


def _try_import_module(module_name: str) -> bool:
    """Whether ``module_name`` imports cleanly (a broken install counts as missing)."""
    import importlib

    try:
        importlib.import_module(module_name)
        return True
    except Exception:  # noqa: BLE001 - any failure means "not usable"
        return False
