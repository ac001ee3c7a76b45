"""``precision="16-mixed"`` / ``"bf16-mixed"``: the engine's autocast / ``GradScaler`` plugin with the Trainer's
backward (the loss is scaled before ``on_before_backward``) and optimizer step (gradients are unscaled before
``on_before_optimizer_step`` and clipping). Batches are not cast: autocast casts inside the forward pass."""
from typing import Any, Callable, Optional

from torch import Tensor
from torch.optim import Optimizer

from lightning.fabric.plugins.precision.amp import MixedPrecision as _FabricMixedPrecision
from lightning.pytorch.plugins.precision.precision import Precision, _optimizer_is_lbfgs
from lightning.pytorch.utilities.exceptions import MisconfigurationException


class MixedPrecision(Precision, _FabricMixedPrecision):
    # the engine's base (no-op) method itself: the training loop skips a plugin's input cast when it is this one
    convert_input = Precision.convert_input

    def __init__(self, precision: str, device: str, scaler: Optional[Any] = None) -> None:
        if scaler is not None and precision == "bf16-mixed":
            raise MisconfigurationException("`precision='bf16-mixed'` does not use a gradient scaler; pass none.")
        super().__init__(precision, device, scaler)

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
