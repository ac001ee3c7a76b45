"""Profilers: where the time of a run goes (``Trainer(profiler="simple" | "advanced" | "pytorch" | "xla")``).

The profiler classes are imported on first use: ``torch.profiler`` is not loaded for runs that do not profile.
"""
import importlib
from typing import Any

from lightning.pytorch.profilers.base import PassThroughProfiler
from lightning.pytorch.profilers.profiler import Profiler
from lightning.pytorch.utilities.exceptions import MisconfigurationException

_HOMES = {"AdvancedProfiler": "advanced", "PyTorchProfiler": "pytorch", "SimpleProfiler": "simple",
          "XLAProfiler": "xla"}
_BY_NAME = {"simple": "SimpleProfiler", "advanced": "AdvancedProfiler", "pytorch": "PyTorchProfiler",
            "xla": "XLAProfiler"}

__all__ = ["AdvancedProfiler", "PassThroughProfiler", "Profiler", "PyTorchProfiler", "SimpleProfiler", "XLAProfiler"]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'lightning.pytorch.profilers' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"lightning.pytorch.profilers.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list:
    return sorted([*__all__, "profiler_from_name"])


def profiler_from_name(name: str) -> Profiler:
    """The profiler for ``Trainer(profiler=name)`` (case-insensitive), built with its defaults."""
    class_name = _BY_NAME.get(name.lower())
    if class_name is None:
        raise MisconfigurationException(
            f"When passing string value for the `profiler` parameter of `Trainer`, it can only be one of "
            f"{list(_BY_NAME)}; got {name!r}. Or pass a `Profiler` instance."
        )
    return __getattr__(class_name)()
