"""``precision="16-mixed"`` / ``"bf16-mixed"``: the engine's autocast / ``GradScaler`` plugin with the Trainer's
backward (the loss is scaled before ``on_before_backward``) and optimizer step (gradients are unscaled before
``on_before_optimizer_step`` and clipping). Batches are not cast: autocast casts inside the forward pass."""
from typing import Any, Callable, ContextManager, Optional

import torch
from torch import Tensor
from torch.optim import Optimizer

from lightning.fabric.plugins.precision.amp import MixedPrecision as _FabricMixedPrecision
from lightning.fabric.plugins.precision.amp import _optimizer_handles_unscaling
from lightning.pytorch.plugins.precision.precision import Precision, _optimizer_is_lbfgs
from lightning.pytorch.utilities.enums import GradClipAlgorithmType
from lightning.pytorch.utilities.exceptions import MisconfigurationException


class MixedPrecision(Precision, _FabricMixedPrecision):
    # the engine's base (no-op) method itself: the training loop skips a plugin's input cast when it is this one
    convert_input = Precision.convert_input

    def __init__(self, precision: str, device: str, scaler: Optional[Any] = None) -> None:
        if scaler is not None and precision == "bf16-mixed":
            raise MisconfigurationException("`precision='bf16-mixed'` does not use a gradient scaler; pass none.")
        super().__init__(precision, device, scaler)

    def autocast_context_manager(self) -> torch.autocast:
        # no weight-cast cache: the Trainer may run a module's forward more than once per step (e.g. recomputation)
        return torch.autocast(self.device, dtype=self._desired_input_dtype, cache_enabled=False)

    def forward_context(self) -> ContextManager:
        return self.autocast_context_manager()

    def clip_gradients(self, optimizer: Optimizer, clip_val: float = 0.0,
                       gradient_clip_algorithm: str = GradClipAlgorithmType.NORM) -> None:
        if clip_val > 0 and _optimizer_handles_unscaling(optimizer):
            raise RuntimeError(
                f"The current optimizer, {type(optimizer).__qualname__}, does not allow for gradient clipping because "
                "it unscales the gradients inside its own step (a 'fused' optimizer?): clip without it, or drop the "
                "clipping."
            )
        super().clip_gradients(optimizer, clip_val, gradient_clip_algorithm)

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
