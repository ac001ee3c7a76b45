"""The Trainer's ``Precision`` plugin (32-bit, the default), built on the engine's
(:mod:`lightning.fabric.plugins.precision`): how forward, backward and the optimizer step run numerically.

Subclasses change the dtype (64, 16, bf16), autocast and gradient scaling. Hooks around backward and the optimizer
step (``on_before_backward``, ``on_after_backward``, ``on_before_optimizer_step``, gradient clipping) are fired from
here because their exact position relative to scaling matters.
"""
from functools import partial
from typing import Any, Callable, ContextManager, Optional

import torch
from torch import Tensor
from torch.optim import LBFGS, Optimizer

from lightning.fabric.plugins.precision.precision import Precision as _FabricPrecision
from lightning.pytorch.utilities.enums import GradClipAlgorithmType  # a str enum: equal to "norm"


class Precision(_FabricPrecision):
    """The engine's plugin (dtype casts, init and forward contexts, state) plus the Trainer's backward and
    optimizer step, which fire the Trainer hooks. Casting methods are defined only in the engine's classes, so a
    Trainer plugin that also subclasses an engine plugin (e.g. ``MixedPrecision``) gets that plugin's casts."""

    def connect(self, model: Any, optimizers: list, lr_schedulers: list) -> tuple:
        return model, optimizers, lr_schedulers

    def train_step_context(self) -> ContextManager:
        return self.forward_context()

    def val_step_context(self) -> ContextManager:
        return self.forward_context()

    def test_step_context(self) -> ContextManager:
        return self.forward_context()

    def predict_step_context(self) -> ContextManager:
        return self.forward_context()

    # ------------------------------------------------------------ backward
    def pre_backward(self, tensor: Tensor, module: Any) -> Tensor:
        hooks = module.trainer._hooks
        if "on_before_backward" in hooks.active:
            hooks.fire("on_before_backward", tensor)
        return tensor

    def backward(self, tensor: Tensor, model: Any, optimizer: Optional[Optimizer], *args: Any, **kwargs: Any) -> None:
        hooks = model.trainer._hooks
        if "backward" in hooks.active:
            hooks.call_module("backward", tensor, *args, **kwargs)
        else:
            tensor.backward(*args, **kwargs)

    def post_backward(self, tensor: Tensor, module: Any) -> Tensor:
        hooks = module.trainer._hooks
        if "on_after_backward" in hooks.active:
            hooks.fire("on_after_backward")
        return tensor

    # ------------------------------------------------------------ optimizer step
    def _after_closure(self, model: Any, optimizer: Optimizer) -> None:
        trainer = model.trainer
        hooks = trainer._hooks
        if "on_before_optimizer_step" in hooks.active:
            hooks.fire("on_before_optimizer_step", optimizer)
        if model.automatic_optimization:
            # the default implementation clips with the Trainer's settings: nothing to do without them
            if "configure_gradient_clipping" in hooks.active or trainer.gradient_clip_val:
                hooks.call_module(
                    "configure_gradient_clipping", optimizer, gradient_clip_val=trainer.gradient_clip_val,
                    gradient_clip_algorithm=trainer.gradient_clip_algorithm,
                )

    def _wrap_closure(self, model: Any, optimizer: Optimizer, closure: Callable[[], Any]) -> Any:
        result = closure()
        self._after_closure(model, optimizer)
        return result

    def optimizer_step(self, optimizer: Optimizer, model: Any, closure: Callable[[], Any], **kwargs: Any) -> Any:
        return optimizer.step(closure=partial(self._wrap_closure, model, optimizer, closure), **kwargs)

    # ------------------------------------------------------------ clipping
    def clip_gradients(self, optimizer: Optimizer, clip_val: float = 0.0,
                       gradient_clip_algorithm: str = GradClipAlgorithmType.NORM) -> None:
        """Clip the gradients of ``optimizer``'s parameters (``clip_val <= 0``: no clipping); a plugin or a user
        subclass changes how by overriding :meth:`clip_grad_by_value` / :meth:`clip_grad_by_norm`."""
        if clip_val <= 0:
            return
        if gradient_clip_algorithm == GradClipAlgorithmType.VALUE:
            self.clip_grad_by_value(optimizer, clip_val)
        elif gradient_clip_algorithm == GradClipAlgorithmType.NORM:
            self.clip_grad_by_norm(optimizer, clip_val)

    def clip_grad_by_value(self, optimizer: Optimizer, clip_val: float) -> None:
        torch.nn.utils.clip_grad_value_(list(self.main_params(optimizer)), clip_value=clip_val)

    def clip_grad_by_norm(self, optimizer: Optimizer, clip_val: float) -> None:
        torch.nn.utils.clip_grad_norm_(list(self.main_params(optimizer)), max_norm=clip_val)


def _optimizer_is_lbfgs(optimizer: Optimizer) -> bool:
    return isinstance(optimizer, LBFGS)
