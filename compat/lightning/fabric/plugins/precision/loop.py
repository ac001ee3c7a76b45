"""A precision plugin seen from a hand-written loop (transitional: Fabric's strategies call through it until they
drive their precision plugin directly).

An engine plugin (:mod:`lightning.fabric.plugins.precision`) already has the loop's backward and optimizer step and
is called as is. A Trainer plugin given to Fabric fires Trainer hooks from those methods, so for it the adapter runs
the plain scale -> backward -> unscale -> step -> update sequence around the plugin's own ``scaler``; a Trainer
plugin is recognised by ``connect``, which only the Trainer's plugins have.
"""
from typing import Any, ContextManager

from torch import Tensor
from torch.optim import Optimizer

from lightning.fabric.plugins.precision.amp import MixedPrecision
from lightning.fabric.plugins.precision.precision import Precision


class _LoopPrecision:
    """Wraps one ``Precision`` plugin; ``plugin`` stays the single source of dtype, autocast and scaler."""

    def __init__(self, plugin: Precision) -> None:
        self.plugin = plugin
        cls = type(plugin)
        # identity conversions are skipped on the hot path (32-true does nothing per step)
        self.converts_input = cls.convert_input is not Precision.convert_input
        self.converts_output = cls.convert_output is not Precision.convert_output
        self.has_forward_context = cls.forward_context is not Precision.forward_context
        self._trainer_plugin = callable(getattr(plugin, "connect", None))

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
        return self.plugin.convert_output(data)

    def forward_context(self) -> ContextManager:
        return self.plugin.forward_context()

    def module_init_context(self) -> ContextManager:
        return self.plugin.module_init_context()

    def tensor_init_context(self) -> ContextManager:
        return self.plugin.tensor_init_context()

    def backward(self, tensor: Tensor, *args: Any, **kwargs: Any) -> None:
        if self._trainer_plugin:
            MixedPrecision.backward(self, tensor, None, *args, **kwargs)  # uses only `self.scaler`
            return
        self.plugin.pre_backward(tensor, None)
        self.plugin.backward(tensor, None, *args, **kwargs)
        self.plugin.post_backward(tensor, None)

    def optimizer_step(self, optimizer: Optimizer, **kwargs: Any) -> Any:
        if self._trainer_plugin:
            return MixedPrecision.optimizer_step(self, optimizer, **kwargs)
        return self.plugin.optimizer_step(optimizer, **kwargs)

    def unscale_gradients(self, optimizer: Optimizer) -> None:
        if self._trainer_plugin:
            MixedPrecision.unscale_gradients(self, optimizer)
        else:
            self.plugin.unscale_gradients(optimizer)

    def state_dict(self) -> dict:
        return self.plugin.state_dict()

    def load_state_dict(self, state_dict: dict) -> None:
        self.plugin.load_state_dict(state_dict)

    def teardown(self) -> None:
        self.plugin.teardown()
