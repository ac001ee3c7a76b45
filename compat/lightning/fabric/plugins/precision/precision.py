"""The engine's ``Precision`` plugin (32-bit, the default): how a model, its inputs and outputs are cast, which
context the forward pass runs in, and how backward and the optimizer step run numerically in a hand-written loop.

Subclasses change the dtype (64, 16, bf16), autocast and gradient scaling. The Trainer's plugins subclass these and
add the Trainer-hook versions of backward and the optimizer step.
"""
import contextlib
from typing import Any, ContextManager, Iterator, Optional

import torch
from torch import Tensor
from torch.nn import Module
from torch.optim import Optimizer

_NO_CONTEXT = contextlib.nullcontext()  # reusable: entered on every step, so not a new object each time


class Precision:
    precision: str = "32-true"

    def convert_module(self, module: Module) -> Module:
        """Cast the module's parameters and buffers to this precision (no-op here)."""
        return module

    def tensor_init_context(self) -> ContextManager:
        """Context in which new tensors get this precision's dtype."""
        return _NO_CONTEXT

    def module_init_context(self) -> ContextManager:
        """Context in which a model is built with this precision's dtype."""
        return self.tensor_init_context()

    def forward_context(self) -> ContextManager:
        """Context the forward pass runs in (autocast for the mixed precisions)."""
        return _NO_CONTEXT

    def convert_input(self, data: Any) -> Any:
        """Cast the float tensors of a batch (or any collection) for the forward pass."""
        return data

    def convert_output(self, data: Any) -> Any:
        """Cast the float tensors a forward pass returned back for the user."""
        return data

    def pre_backward(self, tensor: Tensor, module: Optional[Module]) -> Any:
        """Runs before :meth:`backward` (returns ``tensor``; the engine's strategies ignore the result)."""
        return tensor

    def backward(self, tensor: Tensor, model: Optional[Module], *args: Any, **kwargs: Any) -> None:
        """Back-propagate ``tensor`` (the scaled loss where a plugin scales)."""
        tensor.backward(*args, **kwargs)

    def post_backward(self, tensor: Tensor, module: Optional[Module]) -> Any:
        """Runs after :meth:`backward` (returns ``tensor``)."""
        return tensor

    def optimizer_step(self, optimizer: Any, **kwargs: Any) -> Any:
        """Step ``optimizer`` (through the gradient scaler where a plugin has one)."""
        return optimizer.step(**kwargs)

    def main_params(self, optimizer: Optimizer) -> Iterator[torch.nn.Parameter]:
        """The parameters the optimizer updates (the model's own here)."""
        for group in optimizer.param_groups:
            yield from group["params"]

    def unscale_gradients(self, optimizer: Optimizer) -> None:
        """Divide scaled gradients back (before clipping); nothing to do without a scaler."""

    def state_dict(self) -> dict:
        return {}

    def load_state_dict(self, state_dict: dict) -> None:
        pass

    def teardown(self) -> None:
        pass
