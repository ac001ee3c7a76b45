"""Tied weights: find parameters shared between submodules, and re-tie them after something (e.g. moving to
an XLA device) broke the sharing."""
from typing import Optional

from torch import nn


def find_shared_parameters(module: nn.Module) -> list:
    """Groups of dotted names that refer to one parameter object, e.g. ``[["layer.weight", "head.weight"]]``."""
    return _find_shared_parameters(module)


def _find_shared_parameters(module: nn.Module, tied_parameters: Optional[dict] = None, prefix: str = "") -> list:
    # walk ``_parameters`` ourselves: ``named_parameters()`` deduplicates, which hides exactly what we look for
    tied_parameters = {} if tied_parameters is None else tied_parameters
    for name, param in module._parameters.items():
        if param is not None:
            tied_parameters.setdefault(param, []).append(f"{prefix}.{name}" if prefix else name)
    for name, child in module._modules.items():
        if child is not None:
            _find_shared_parameters(child, tied_parameters, f"{prefix}.{name}" if prefix else name)
    return [names for names in tied_parameters.values() if len(names) > 1]


def set_shared_parameters(module: nn.Module, shared_params: list) -> nn.Module:
    """Point every name of each group at the group's first parameter; returns ``module``."""
    for names in shared_params:
        reference = _get_module_by_path(module, names[0])
        for path in names[1:]:
            _set_module_by_path(module, path, reference)
    return module


def _get_module_by_path(module: nn.Module, path: str) -> nn.Module:
    for name in path.split("."):
        module = getattr(module, name)
    return module


def _set_module_by_path(module: nn.Module, path: str, value: nn.Module) -> None:
    *parents, last = path.split(".")
    for name in parents:
        module = getattr(module, name)
    setattr(module, last, value)
