"""General utilities users import from ``lightning.pytorch.utilities`` (heavier ones load on first use)."""
import importlib
from typing import Any

import torch

from lightning.fabric.utilities.apply_func import move_data_to_device
from lightning.fabric.utilities.rank_zero import rank_zero_deprecation, rank_zero_info, rank_zero_only, rank_zero_warn
from lightning.fabric.utilities.warnings import disable_possible_user_warnings
from lightning.pytorch.utilities.enums import GradClipAlgorithmType, LightningEnum
from lightning.pytorch.utilities.parsing import AttributeDict, is_picklable

_LAZY = {
    "CombinedLoader": "lightning.pytorch.utilities.combined_loader",
    "find_shared_parameters": "lightning.pytorch.utilities.parameter_tying",
    "set_shared_parameters": "lightning.pytorch.utilities.parameter_tying",
    "grad_norm": "lightning.pytorch.utilities.grads",
    "measure_flops": "lightning.fabric.utilities.throughput",
    "is_shared_filesystem": "lightning.fabric.utilities.distributed",
    "suggested_max_num_workers": "lightning.fabric.utilities.data",
}

__all__ = [
    "AttributeDict",
    "CombinedLoader",
    "disable_possible_user_warnings",
    "find_shared_parameters",
    "grad_norm",
    "GradClipAlgorithmType",
    "is_picklable",
    "is_shared_filesystem",
    "LightningEnum",
    "measure_flops",
    "move_data_to_device",
    "rank_zero_deprecation",
    "rank_zero_info",
    "rank_zero_only",
    "rank_zero_warn",
    "set_shared_parameters",
    "suggested_max_num_workers",
]

FLOAT16_EPSILON = torch.finfo(torch.float16).eps
FLOAT32_EPSILON = torch.finfo(torch.float32).eps
FLOAT64_EPSILON = torch.finfo(torch.float64).eps


def __getattr__(name: str) -> Any:
    home = _LAZY.get(name)
    if home is None:
        raise AttributeError(f"module 'lightning.pytorch.utilities' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list:
    return sorted({*globals(), *__all__})
