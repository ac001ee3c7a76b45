"""What ``fabric.setup*`` hands back: a module, optimizer or dataloader that behaves like the user's own object but
routes precision, device moves and the optimizer step through Fabric's strategy.

* ``_FabricModule`` casts inputs and runs ``forward`` in the precision's context (autocast); attribute access, state
  dicts and the LightningModule step methods reach the user's module.
* ``_FabricOptimizer`` is an ``Optimizer`` (LR schedulers accept it) whose ``step`` goes through the strategy, so a
  gradient scaler or a distributed optimizer takes part.
* ``_FabricDataLoader`` moves each batch to the device and advances a distributed sampler's epoch on each pass.

Per step they add only what the chosen precision needs: with 32-true, a forward is one extra ``Module.__call__``.
"""
from types import MethodType
from typing import Any, Callable, Iterator, Optional, Union

import torch
from torch import Tensor, nn
from torch.optim import Optimizer
from torch.utils.data import DataLoader

from lightning.fabric.strategies._precision_api import fabric_precision
from lightning.fabric.utilities.apply_func import apply_to_collection, move_data_to_device

_LIGHTNING_MODULE_STEP_METHODS = ("training_step", "validation_step", "test_step", "predict_step")

# set by `Fabric.backward` while it runs, so that a plain `loss.backward()` can be told apart when it is not enough
_in_fabric_backward: bool = False
_MISSING = object()


class _FabricModule(nn.Module):
    """Wraps the module given to ``fabric.setup``; ``forward_module`` may be a strategy wrapper (e.g. DDP) of it."""

    def __init__(self, forward_module: nn.Module, strategy: Any, original_module: Optional[nn.Module] = None) -> None:
        super().__init__()
        self._forward_module = forward_module
        self._original_module = forward_module if original_module is None else original_module
        self._strategy = strategy
        self._precision = precision = fabric_precision(strategy.precision)
        self._forward_methods = set(_LIGHTNING_MODULE_STEP_METHODS)
        self._fabric_device: Optional[torch.device] = None
        # hot path: a plain reference (not a second registered submodule), and whether precision does anything
        self.__dict__["_forward_call"] = forward_module
        self._converts_input, self._has_forward_context, self._converts_output = _what_precision_does(precision)
        self._scaler = getattr(precision, "scaler", None)
        self._passthrough = not (self._converts_input or self._has_forward_context or self._converts_output
                                 or self._scaler is not None)
        self._fabric_module_initialized = True

    @property
    def module(self) -> nn.Module:
        """The module the user passed to ``fabric.setup``."""
        return self._original_module

    @property
    def device(self) -> torch.device:
        if self._fabric_device is not None:
            return self._fabric_device
        return next(self._original_module.parameters(), torch.empty(0)).device

    @property
    def dtype(self) -> torch.dtype:
        for param in self._original_module.parameters():
            if param.is_floating_point():
                return param.dtype
        return torch.get_default_dtype()

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        if self._passthrough:
            return self._forward_call(*args, **kwargs)
        precision = self._precision
        if self._converts_input:
            args, kwargs = precision.convert_input((args, kwargs))
        if self._has_forward_context:
            with precision.forward_context():
                output = self._forward_call(*args, **kwargs)
        else:
            output = self._forward_call(*args, **kwargs)
        if self._converts_output:
            output = precision.convert_output(output)
        if self._scaler is not None:  # a scaled loss needs `fabric.backward`; catch a bare `loss.backward()`
            apply_to_collection(output, Tensor, _guard_backward)
        return output

    def state_dict(self, *args: Any, **kwargs: Any) -> Any:
        return self._original_module.state_dict(*args, **kwargs)

    def load_state_dict(self, state_dict: Any, strict: bool = True, **kwargs: Any) -> Any:
        return self._original_module.load_state_dict(state_dict, strict=strict, **kwargs)

    def mark_forward_method(self, method: Union[MethodType, str]) -> None:
        """Route calls of ``method`` through the strategy's wrapper (e.g. DDP) like ``forward``, so gradients sync."""
        if not isinstance(method, (MethodType, str)):
            raise TypeError(
                f"`mark_forward_method` takes a method of the module or its name, got {type(method).__name__}."
            )
        name = method if isinstance(method, str) else method.__name__
        if name == "forward":
            raise ValueError("`forward` already goes through the strategy; mark other methods only.")
        if not isinstance(getattr(self._original_module, name, None), MethodType):
            raise AttributeError(
                f"`{type(self._original_module).__name__}.{name}` is not a method, so it cannot be marked as a forward "
                "method. Check the name."
            )
        self._forward_methods.add(name)

    def _redirect_through_forward(self, name: str) -> Callable:
        """Call ``original.<name>`` via the forward wrapper: ``forward`` stands in for the method during one call."""
        original = self._original_module

        def call(*args: Any, **kwargs: Any) -> Any:
            saved = original.__dict__.get("forward", _MISSING)

            def restore() -> None:
                if saved is _MISSING:
                    original.__dict__.pop("forward", None)
                else:
                    original.__dict__["forward"] = saved

            def as_forward(*inner_args: Any, **inner_kwargs: Any) -> Any:
                restore()
                return getattr(original, name)(*inner_args, **inner_kwargs)

            original.__dict__["forward"] = as_forward
            try:
                return self.forward(*args, **kwargs)
            finally:
                restore()

        return call

    def __getattr__(self, name: str) -> Any:
        if name in ("_forward_methods", "_forward_module", "_original_module"):
            return super().__getattr__(name)
        if name in self._forward_methods and self._forward_module is not self._original_module:
            return self._redirect_through_forward(name)
        try:
            return super().__getattr__(name)
        except AttributeError:
            return getattr(self._original_module, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if not getattr(self, "_fabric_module_initialized", False):
            super().__setattr__(name, value)
            return
        original = self._original_module
        on_original = hasattr(original, name)
        on_wrapper = name in dir(self)
        if on_original or not on_wrapper:
            setattr(original, name, value)
        if on_wrapper:
            super().__setattr__(name, value)


def _guard_backward(tensor: Tensor) -> Tensor:
    if tensor.requires_grad:
        tensor.register_hook(_check_in_fabric_backward)
    return tensor


def _check_in_fabric_backward(grad: Tensor) -> None:
    if not _in_fabric_backward:
        raise RuntimeError(
            "This precision scales the loss before backward: call `fabric.backward(loss)` instead of "
            "`loss.backward()`."
        )


def _what_precision_does(precision: Any) -> tuple:
    """(converts inputs, has a forward context, converts outputs): identity steps are skipped on the hot path."""
    flags = ("converts_input", "has_forward_context", "converts_output")
    if all(hasattr(precision, flag) for flag in flags):  # the loop adapter knows them already
        return tuple(getattr(precision, flag) for flag in flags)
    from lightning.fabric.plugins.precision import Precision

    cls = type(precision)
    return tuple(getattr(cls, name) is not getattr(Precision, name)
                 for name in ("convert_input", "forward_context", "convert_output"))


class _FabricOptimizer(Optimizer):
    """Wraps an optimizer; ``step`` goes through the strategy. Everything else reaches the wrapped optimizer."""

    def __init__(self, optimizer: Optimizer, strategy: Any, callbacks: Optional[list] = None) -> None:
        # Optimizer.__init__ is deliberately not called: all state lives in the wrapped optimizer
        self.__dict__["_optimizer"] = optimizer
        self._strategy = strategy
        self._callbacks = callbacks if callbacks is not None else []

    @property
    def optimizer(self) -> Optimizer:
        return self._optimizer

    @property
    def param_groups(self) -> list:
        return self._optimizer.param_groups

    @param_groups.setter
    def param_groups(self, value: list) -> None:
        self._optimizer.param_groups = value

    @property
    def state(self) -> Any:
        return self._optimizer.state

    @state.setter
    def state(self, value: Any) -> None:
        self._optimizer.state = value

    @property
    def defaults(self) -> dict:
        return self._optimizer.defaults

    @defaults.setter
    def defaults(self, value: dict) -> None:
        self._optimizer.defaults = value

    def step(self, closure: Optional[Callable[[], Any]] = None) -> Any:
        kwargs = {"closure": closure} if closure is not None else {}
        output = self._strategy.optimizer_step(self._optimizer, **kwargs)
        for callback in self._callbacks:
            hook = getattr(callback, "on_after_optimizer_step", None)
            if callable(hook):
                hook(strategy=self._strategy, optimizer=self._optimizer)
        return output

    def zero_grad(self, set_to_none: bool = True) -> None:
        self._optimizer.zero_grad(set_to_none=set_to_none)

    def state_dict(self) -> dict:
        return self._optimizer.state_dict()

    def load_state_dict(self, state_dict: dict) -> None:
        self._optimizer.load_state_dict(state_dict)

    def add_param_group(self, param_group: dict) -> None:
        self._optimizer.add_param_group(param_group)

    def __getattr__(self, name: str) -> Any:
        optimizer = self.__dict__.get("_optimizer")
        if optimizer is None:
            raise AttributeError(name)
        return getattr(optimizer, name)

    def __getstate__(self) -> dict:
        return self.__dict__

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)

    def __repr__(self) -> str:
        return f"Fabric{self._optimizer!r}"


class _FabricDataLoader:
    """Iterates the wrapped loader, moving each batch to ``device`` (if given) and setting the sampler's epoch."""

    def __init__(self, dataloader: DataLoader, device: Optional[torch.device] = None) -> None:
        self._dataloader = dataloader
        self._device = device
        self._num_iter_calls = 0

    @property
    def device(self) -> Optional[torch.device]:
        return self._device

    def __len__(self) -> int:
        return len(self._dataloader)

    def __iter__(self) -> Iterator[Any]:
        _set_sampler_epoch(self._dataloader, self._num_iter_calls)
        self._num_iter_calls += 1
        device = self._device
        if device is None:
            yield from self._dataloader
        else:
            for batch in self._dataloader:
                yield _move_batch(batch, device)

    def __getattr__(self, name: str) -> Any:
        loader = self.__dict__.get("_dataloader")
        if loader is None:
            raise AttributeError(name)
        return getattr(loader, name)


def _move_batch(batch: Any, device: torch.device) -> Any:
    """``move_data_to_device``, with a shortcut for the common flat tuple/list of tensors already on ``device``."""
    if type(batch) in (tuple, list) and all(type(t) is Tensor and t.device == device for t in batch):
        return batch
    return move_data_to_device(batch, device)


def _set_sampler_epoch(dataloader: DataLoader, epoch: int) -> None:
    """Give samplers with ``set_epoch`` (``DistributedSampler``) the pass number, so each pass shuffles anew."""
    batch_sampler = getattr(dataloader, "batch_sampler", None)
    for sampler in (getattr(dataloader, "sampler", None), getattr(batch_sampler, "sampler", None)):
        set_epoch = getattr(sampler, "set_epoch", None)
        if callable(set_epoch):
            set_epoch(epoch)


def _unwrap_objects(collection: Any) -> Any:
    """Replace every Fabric wrapper in ``collection`` by the user's own object."""

    def unwrap(obj: Any) -> Any:
        if isinstance(obj, _FabricModule):
            return obj._original_module
        if isinstance(obj, _FabricOptimizer):
            return obj.optimizer
        if isinstance(obj, _FabricDataLoader):
            return obj._dataloader
        return obj

    return apply_to_collection(collection, (_FabricModule, _FabricOptimizer, _FabricDataLoader), unwrap)


def is_wrapped(obj: object) -> bool:
    """Whether ``obj`` is a module, optimizer or dataloader returned by one of the ``fabric.setup*`` methods."""
    return isinstance(obj, (_FabricModule, _FabricOptimizer, _FabricDataLoader))
