"""``precision="16-true"`` / ``"bf16-true"``: everything in half precision, no autocast, no scaler."""
from typing import Any, ContextManager

import torch
from torch.nn import Module

from lightning.fabric.plugins.precision.precision import Precision
from lightning.fabric.plugins.precision.utils import _default_dtype, _floats_to


class HalfPrecision(Precision):
    precision: str = "16-true"

    def __init__(self, precision: str = "16-true") -> None:
        if precision not in ("16-true", "bf16-true"):
            raise ValueError(f"HalfPrecision takes '16-true' or 'bf16-true', got {precision!r}")
        self.precision = precision
        self._desired_input_dtype = torch.bfloat16 if precision == "bf16-true" else torch.float16

    def convert_module(self, module: Module) -> Module:
        return module.to(dtype=self._desired_input_dtype)

    def tensor_init_context(self) -> ContextManager:
        return _default_dtype(self._desired_input_dtype)

    def module_init_context(self) -> ContextManager:
        return self.tensor_init_context()

    def forward_context(self) -> ContextManager:
        return self.tensor_init_context()

    def convert_input(self, data: Any) -> Any:
        return _floats_to(data, self._desired_input_dtype)

    def convert_output(self, data: Any) -> Any:
        return _floats_to(data, torch.get_default_dtype())
