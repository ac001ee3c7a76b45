"""``precision="16-true"`` / ``"bf16-true"``: everything in half precision, no autocast, no scaler."""
from typing import Any

import torch
from torch import Tensor

from lightning.fabric.utilities.apply_func import apply_to_collection
from lightning.pytorch.plugins.precision.double import _default_dtype
from lightning.pytorch.plugins.precision.precision import Precision


class HalfPrecision(Precision):
    def __init__(self, precision: str = "16-true") -> None:
        if precision not in ("16-true", "bf16-true"):
            raise ValueError(f"HalfPrecision takes '16-true' or 'bf16-true', got {precision!r}")
        self.precision = precision
        self._desired_input_dtype = torch.bfloat16 if precision == "bf16-true" else torch.float16

    def convert_module(self, module: torch.nn.Module) -> torch.nn.Module:
        return module.to(dtype=self._desired_input_dtype)

    def tensor_init_context(self) -> Any:
        return _default_dtype(self._desired_input_dtype)

    def module_init_context(self) -> Any:
        return _default_dtype(self._desired_input_dtype)

    def forward_context(self) -> Any:
        return _default_dtype(self._desired_input_dtype)

    def convert_input(self, data: Any) -> Any:
        dtype = self._desired_input_dtype
        return apply_to_collection(data, Tensor, lambda t: t.to(dtype) if t.is_floating_point() else t)

    def convert_output(self, data: Any) -> Any:
        default = torch.get_default_dtype()
        return apply_to_collection(data, Tensor, lambda t: t.to(default) if t.is_floating_point() else t)
