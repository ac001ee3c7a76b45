"""A Trainer precision plugin given to Fabric, seen from a hand-written loop.

The engine's plugins are driven directly. A Trainer plugin's backward and optimizer step fire Trainer hooks, so for
one given to ``Fabric(plugins=...)`` this adapter runs the engine's scaled sequence (scale -> backward, unscale,
step -> update: the engine's ``MixedPrecision`` methods, which use only ``scaler``) around the plugin's own
``scaler``; casts, contexts and state are the plugin's (the engine's methods it inherits).
"""
from typing import Any

from torch import Tensor
from torch.optim import Optimizer

from lightning.fabric.plugins.precision.amp import MixedPrecision
from lightning.fabric.plugins.precision.precision import Precision


class _LoopPrecision:
    """Wraps one Trainer ``Precision`` plugin; ``plugin`` stays the single source of dtype, autocast and scaler."""

    def __init__(self, plugin: Precision) -> None:
        self.plugin = plugin
        cls = type(plugin)
        # identity conversions are skipped on the hot path (32-true does nothing per step)
        self.converts_input = cls.convert_input is not Precision.convert_input
        self.converts_output = cls.convert_output is not Precision.convert_output
        self.has_forward_context = cls.forward_context is not Precision.forward_context

    def __getattr__(self, name: str) -> Any:  # precision, casts, contexts, state_dict, teardown, ...
        return getattr(self.plugin, name)

    @property
    def scaler(self) -> Any:
        return getattr(self.plugin, "scaler", None)

    def backward(self, tensor: Tensor, *args: Any, **kwargs: Any) -> None:
        MixedPrecision.backward(self, tensor, None, *args, **kwargs)

    def optimizer_step(self, optimizer: Optimizer, **kwargs: Any) -> Any:
        return MixedPrecision.optimizer_step(self, optimizer, **kwargs)

    def unscale_gradients(self, optimizer: Optimizer) -> None:
        MixedPrecision.unscale_gradients(self, optimizer)
