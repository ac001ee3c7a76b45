"""``precision="16-mixed"`` / ``"bf16-mixed"``: autocast in the forward, a GradScaler for float16 on CUDA."""
import contextlib
from typing import Any, Callable, Generator, Optional

import torch
from torch import Tensor
from torch.optim import Optimizer

from lightning.fabric.utilities.apply_func import apply_to_collection
from lightning.pytorch.plugins.precision.precision import Precision, _optimizer_is_lbfgs
from lightning.pytorch.utilities.exceptions import MisconfigurationException


class MixedPrecision(Precision):
    def __init__(self, precision: str, device: str, scaler: Optional[Any] = None) -> None:
        if precision not in ("16-mixed", "bf16-mixed"):
            raise ValueError(f"MixedPrecision takes '16-mixed' or 'bf16-mixed', got {precision!r}")
        if scaler is None and precision == "16-mixed":
            scaler = torch.amp.GradScaler(device=device)
        if scaler is not None and precision == "bf16-mixed":
            raise MisconfigurationException("`precision='bf16-mixed'` does not use a gradient scaler; pass none.")
        self.precision = precision
        self.device = device
        self.scaler = scaler

    @property
    def _autocast_dtype(self) -> torch.dtype:
        return torch.bfloat16 if self.precision == "bf16-mixed" else torch.float16

    @contextlib.contextmanager
    def forward_context(self) -> Generator:
        with torch.autocast(self.device, dtype=self._autocast_dtype):
            yield

    def convert_output(self, data: Any) -> Any:
        default = torch.get_default_dtype()
        return apply_to_collection(data, Tensor, lambda t: t.to(default) if t.is_floating_point() else t)

    def pre_backward(self, tensor: Tensor, module: Any) -> Tensor:
        if self.scaler is not None:
            tensor = self.scaler.scale(tensor)
        return super().pre_backward(tensor, module)

    def optimizer_step(self, optimizer: Optimizer, model: Any, closure: Callable[[], Any], **kwargs: Any) -> Any:
        if self.scaler is None:
            return super().optimizer_step(optimizer, model=model, closure=closure, **kwargs)
        if _optimizer_is_lbfgs(optimizer):
            raise MisconfigurationException("AMP with a gradient scaler and the LBFGS optimizer is not supported.")
        closure_result = closure()
        self.scaler.unscale_(optimizer)
        self._after_closure(model, optimizer)
        skipped_backward = closure_result is None
        if not model.automatic_optimization or not skipped_backward:
            step_output = self.scaler.step(optimizer, **kwargs)
            self.scaler.update()
            return step_output
        return closure_result

    def state_dict(self) -> dict:
        return self.scaler.state_dict() if self.scaler is not None else {}

    def load_state_dict(self, state_dict: dict) -> None:
        if self.scaler is not None and state_dict:
            self.scaler.load_state_dict(state_dict)
