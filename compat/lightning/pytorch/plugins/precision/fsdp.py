"""``FSDPPrecision``: the precision plugin of the FSDP strategy; it also tells FSDP which dtypes to shard,
compute and reduce in (``mixed_precision_config``)."""
from typing import Any

from torch import Tensor

from lightning.fabric.plugins.precision.fsdp import FSDPPrecision as _FabricFSDPPrecision
from lightning.pytorch.plugins.precision.precision import Precision
from lightning.pytorch.utilities.exceptions import MisconfigurationException


class FSDPPrecision(Precision, _FabricFSDPPrecision):
    """The engine's FSDP plugin (dtypes, ``mixed_precision_config``, scaler) with the Trainer's backward and
    optimizer step: the loss is scaled before ``on_before_backward``, gradients unscaled before clipping."""

    def clip_grad_by_norm(self, *_: Any, **__: Any) -> None:
        # each rank holds a shard: a norm over the local parameters is not the model's (the root FSDP module's
        # clip_grad_norm_ is, but the plugin has no reference to it)
        raise MisconfigurationException(
            f"`gradient_clip_algorithm='norm'` is currently not supported for `{type(self).__name__}`: clip by value "
            "(`gradient_clip_algorithm='value'`), or call the FSDP module's `clip_grad_norm_` yourself."
        )

    def pre_backward(self, tensor: Tensor, module: Any) -> Tensor:
        if self.scaler is not None:
            tensor = self.scaler.scale(tensor)
        return super().pre_backward(tensor, module)

    def optimizer_step(self, optimizer: Any, model: Any, closure: Any, **kwargs: Any) -> Any:
        if self.scaler is None:
            return super().optimizer_step(optimizer, model, closure, **kwargs)
        closure_result = closure()
        self.scaler.unscale_(optimizer)
        self._after_closure(model, optimizer)
        step_output = self.scaler.step(optimizer, **kwargs) if closure_result is not None else None
        self.scaler.update()
        return step_output
