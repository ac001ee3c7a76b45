"""``precision="64-true"``: parameters, inputs and new tensors in float64."""
import contextlib
from typing import Any, Generator

import torch
from torch import Tensor

from lightning.fabric.utilities.apply_func import apply_to_collection
from lightning.pytorch.plugins.precision.precision import Precision


@contextlib.contextmanager
def _default_dtype(dtype: torch.dtype) -> Generator:
    previous = torch.get_default_dtype()
    torch.set_default_dtype(dtype)
    try:
        yield
    finally:
        torch.set_default_dtype(previous)


class DoublePrecision(Precision):
    precision = "64-true"

    def convert_module(self, module: torch.nn.Module) -> torch.nn.Module:
        return module.double()

    def tensor_init_context(self) -> Any:
        return _default_dtype(torch.float64)

    def forward_context(self) -> Any:
        return _default_dtype(torch.float64)

    def convert_input(self, data: Any) -> Any:
        return apply_to_collection(data, Tensor, lambda t: t.to(torch.float64) if t.is_floating_point() else t)
