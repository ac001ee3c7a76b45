"""Availability flags for optional packages and platform facts, computed once at import (cheap: no imports of
the packages themselves)."""
import importlib.util
import platform
import sys
from functools import lru_cache

import torch
from packaging.version import Version


@lru_cache(None)
def package_available(name: str) -> bool:
    """Whether ``import name`` would find a module, without importing it."""
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _torch_at_least(version: str) -> bool:
    return Version(Version(torch.__version__).base_version) >= Version(version)


_IS_WINDOWS = platform.system() == "Windows"
_IS_INTERACTIVE = hasattr(sys, "ps1") or bool(sys.flags.interactive)
_NUMPY_AVAILABLE = package_available("numpy")
_TORCH_GREATER_EQUAL_2_2 = _torch_at_least("2.2.0")
_TORCH_GREATER_EQUAL_2_3 = _torch_at_least("2.3.0")
_TORCH_GREATER_EQUAL_2_4 = _torch_at_least("2.4.0")
_TORCH_GREATER_EQUAL_2_5 = _torch_at_least("2.5.0")
_TORCH_GREATER_EQUAL_2_6 = _torch_at_least("2.6.0")
_PYTHON_GREATER_EQUAL_3_10_0 = sys.version_info >= (3, 10)
