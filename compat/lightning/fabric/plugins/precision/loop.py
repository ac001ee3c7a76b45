"""A Trainer precision plugin seen from a hand-written loop.

The Trainer's plugins fire Trainer hooks around backward and the optimizer step (their position relative to loss
scaling matters there). A Fabric user owns the loop, so there are no hooks to fire: this adapter keeps the plugin's
dtype conversions, autocast context and ``GradScaler`` (all owned by the plugin) and does the plain
scale -> backward -> unscale -> step -> update sequence around them.
"""
from typing import Any, ContextManager

import torch
from torch import Tensor
from torch.optim import Optimizer

from lightning.fabric.utilities.apply_func import apply_to_collection
from lightning.pytorch.plugins.precision.double import DoublePrecision
from lightning.pytorch.plugins.precision.precision import Precision, _optimizer_is_lbfgs
from lightning.pytorch.utilities.exceptions import MisconfigurationException


class _LoopPrecision:
    """Wraps one Trainer ``Precision`` plugin; ``plugin`` stays the single source of dtype, autocast and scaler."""

    def __init__(self, plugin: Precision) -> None:
        self.plugin = plugin
        cls = type(plugin)
        # identity conversions are skipped on the hot path (32-true does nothing per step)
        self.converts_input = cls.convert_input is not Precision.convert_input
        # Fabric hands a 64-true model's outputs back in the default dtype (the Trainer's steps keep float64)
        self._outputs_to_default = (isinstance(plugin, DoublePrecision)
                                    and cls.convert_output is Precision.convert_output)
        self.converts_output = cls.convert_output is not Precision.convert_output or self._outputs_to_default
        self.has_forward_context = cls.forward_context is not Precision.forward_context

    @property
    def precision(self) -> str:
        return self.plugin.precision

    @property
    def scaler(self) -> Any:
        return getattr(self.plugin, "scaler", None)

    def convert_module(self, module: Any) -> Any:
        return self.plugin.convert_module(module)

    def convert_input(self, data: Any) -> Any:
        return self.plugin.convert_input(data)

    def convert_output(self, data: Any) -> Any:
        if self._outputs_to_default:
            return apply_to_collection(data, Tensor, _to_default_dtype)
        return self.plugin.convert_output(data)

    def forward_context(self) -> ContextManager:
        return self.plugin.forward_context()

    def module_init_context(self) -> ContextManager:
        return self.plugin.module_init_context()

    def tensor_init_context(self) -> ContextManager:
        return self.plugin.tensor_init_context()

    def backward(self, tensor: Tensor, *args: Any, **kwargs: Any) -> None:
        scaler = self.scaler
        if scaler is not None:
            tensor = scaler.scale(tensor)
        tensor.backward(*args, **kwargs)

    def optimizer_step(self, optimizer: Optimizer, **kwargs: Any) -> Any:
        scaler = self.scaler
        if scaler is None:
            return optimizer.step(**kwargs)
        if _optimizer_is_lbfgs(optimizer):
            raise MisconfigurationException(
                "LBFGS re-evaluates the loss inside `step()`, which a float16 gradient scaler cannot follow. Use "
                "`precision='bf16-mixed'` or '32-true' with LBFGS."
            )
        output = scaler.step(optimizer, **kwargs)
        scaler.update()
        return output

    def unscale_gradients(self, optimizer: Optimizer) -> None:
        scaler = self.scaler
        if scaler is not None:
            scaler.unscale_(optimizer)

    def state_dict(self) -> dict:
        return self.plugin.state_dict()

    def load_state_dict(self, state_dict: dict) -> None:
        self.plugin.load_state_dict(state_dict)

    def teardown(self) -> None:
        self.plugin.teardown()


def _to_default_dtype(tensor: Tensor) -> Tensor:
    return tensor.to(torch.get_default_dtype()) if tensor.is_floating_point() else tensor
