"""``precision="16-mixed"`` / ``"bf16-mixed"``: autocast in the forward pass, float inputs cast to the autocast
dtype, and for float16 a ``GradScaler`` that scales the loss, unscales before clipping and skips steps with
non-finite gradients."""
from typing import Any, ContextManager, Optional

import torch
from torch import Tensor
from torch.nn import Module
from torch.optim import LBFGS, Optimizer

from lightning.fabric.plugins.precision.precision import Precision
from lightning.fabric.plugins.precision.utils import _floats_to


class MixedPrecision(Precision):
    def __init__(self, precision: str, device: str, scaler: Optional[Any] = None) -> None:
        if precision not in ("16-mixed", "bf16-mixed"):
            raise ValueError(f"`{type(self).__name__}(precision={precision!r})` is not a mixed precision: give "
                             "'16-mixed' or 'bf16-mixed'.")
        if scaler is not None and precision == "bf16-mixed":
            raise ValueError("`precision='bf16-mixed'` does not use a gradient scaler; pass none.")
        if scaler is None and precision == "16-mixed":
            scaler = torch.amp.GradScaler(device=device)
        self.precision = precision
        self.device = device
        self.scaler = scaler
        self._desired_input_dtype = torch.bfloat16 if precision == "bf16-mixed" else torch.float16

    def forward_context(self) -> ContextManager:
        return torch.autocast(self.device, dtype=self._desired_input_dtype)

    def convert_input(self, data: Any) -> Any:
        return _floats_to(data, self._desired_input_dtype)

    def convert_output(self, data: Any) -> Any:
        return _floats_to(data, torch.get_default_dtype())

    def backward(self, tensor: Tensor, model: Optional[Module], *args: Any, **kwargs: Any) -> None:
        if self.scaler is not None:
            tensor = self.scaler.scale(tensor)
        tensor.backward(*args, **kwargs)

    def optimizer_step(self, optimizer: Any, **kwargs: Any) -> Any:
        if self.scaler is None:
            return optimizer.step(**kwargs)
        if isinstance(optimizer, LBFGS):
            raise TypeError("LBFGS re-evaluates the loss inside `step()`, which a float16 gradient scaler (AMP) "
                            "cannot follow: use `precision='bf16-mixed'` or '32-true' with LBFGS.")
        output = self.scaler.step(optimizer, **kwargs)  # skips the step when the gradients are not finite
        self.scaler.update()
        return output

    def unscale_gradients(self, optimizer: Optimizer) -> None:
        if self.scaler is not None:
            if _optimizer_handles_unscaling(optimizer):
                raise NotImplementedError("Gradient clipping is not implemented for optimizers handling the unscaling "
                                          "(a 'fused' optimizer unscales inside its own step): clip without it.")
            self.scaler.unscale_(optimizer)

    def state_dict(self) -> dict:
        return self.scaler.state_dict() if self.scaler is not None else {}

    def load_state_dict(self, state_dict: dict) -> None:
        if self.scaler is not None and state_dict:
            self.scaler.load_state_dict(state_dict)


def _optimizer_handles_unscaling(optimizer: Any) -> bool:
    """Whether ``optimizer`` unscales the gradients inside its own step (fused optimizers tell the GradScaler so)."""
    return bool(getattr(optimizer, "_step_supports_amp_scaling", False))
