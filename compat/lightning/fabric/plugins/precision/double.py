"""``precision="64-true"``: parameters, inputs and new tensors in float64; outputs handed back in the default
dtype."""
from typing import Any, ContextManager

import torch
from torch.nn import Module

from lightning.fabric.plugins.precision.precision import Precision
from lightning.fabric.plugins.precision.utils import _default_dtype, _floats_to


class DoublePrecision(Precision):
    precision = "64-true"

    def convert_module(self, module: Module) -> Module:
        return module.double()

    def tensor_init_context(self) -> ContextManager:
        return _default_dtype(torch.float64)

    def module_init_context(self) -> ContextManager:
        return self.tensor_init_context()

    def forward_context(self) -> ContextManager:
        return self.tensor_init_context()

    def convert_input(self, data: Any) -> Any:
        return _floats_to(data, torch.float64)

    def convert_output(self, data: Any) -> Any:
        return _floats_to(data, torch.get_default_dtype())
