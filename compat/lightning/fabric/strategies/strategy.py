"""The engine's ``Strategy`` base: where a model lives, how a step's backward and optimizer step run, how processes
talk to each other and how checkpoints are written, with Fabric's API (2.6.6's signatures).

The Trainer's strategies are subclasses that add the Trainer side (the LightningModule, the step dispatch, checkpoint
hooks) and the Trainer's spelling of a few methods.
"""
import contextlib
from typing import Any, ContextManager, Generator, Optional, Union

import torch
from torch import Tensor
from torch.nn import Module
from torch.optim import Optimizer

from lightning.fabric.strategies._precision_api import fabric_precision
from lightning.fabric.utilities.apply_func import move_data_to_device


class Strategy:
    """Subclass to implement a new way of distributing a model (see ``SingleDeviceStrategy``, ``DDPStrategy``)."""

    def __init__(self, accelerator: Any = None, checkpoint_io: Any = None, precision: Optional[Any] = None) -> None:
        self._accelerator = accelerator
        self._checkpoint_io = checkpoint_io
        self._precision = precision
        self._launcher: Any = None

    # ------------------------------------------------------------ plugins
    @property
    def accelerator(self) -> Any:
        return self._accelerator

    @accelerator.setter
    def accelerator(self, accelerator: Any) -> None:
        self._accelerator = accelerator

    @property
    def precision(self) -> Any:
        if self._precision is None:
            self._precision = self._default_precision()
        return self._precision

    @precision.setter
    def precision(self, precision: Any) -> None:
        self._precision = precision

    def _default_precision(self) -> Any:
        from lightning.fabric.plugins.precision import Precision

        return Precision()

    @property
    def checkpoint_io(self) -> Any:
        if self._checkpoint_io is None:
            self._checkpoint_io = self._default_checkpoint_io()
        return self._checkpoint_io

    @checkpoint_io.setter
    def checkpoint_io(self, io: Any) -> None:
        self._checkpoint_io = io

    def _default_checkpoint_io(self) -> Any:
        from lightning.fabric.plugins.io.torch_io import TorchCheckpointIO

        return TorchCheckpointIO()

    @property
    def launcher(self) -> Any:
        return self._launcher

    # ------------------------------------------------------------ where and who
    @property
    def root_device(self) -> torch.device:
        raise NotImplementedError

    @property
    def global_rank(self) -> int:
        return 0

    @property
    def local_rank(self) -> int:
        return 0

    @property
    def node_rank(self) -> int:
        return 0

    @property
    def world_size(self) -> int:
        return 1

    @property
    def is_global_zero(self) -> bool:
        return self.global_rank == 0

    @property
    def _needs_launch(self) -> bool:
        """Whether processes must be set up (``fabric.launch()`` or ``fabric run``) before models and data."""
        return False

    def setup_environment(self) -> None:
        """Set up the process (device, process group) before any model is touched."""
        assert self.accelerator is not None
        self.accelerator.setup_device(self.root_device)

    # ------------------------------------------------------------ models, optimizers, data
    def process_dataloader(self, dataloader: Any) -> Any:
        return dataloader

    def setup_module_and_optimizers(self, module: Module, optimizers: list, scheduler: Optional[Any] = None) -> tuple:
        return self.setup_module(module), [self.setup_optimizer(opt) for opt in optimizers], scheduler

    def setup_module(self, module: Module) -> Module:
        """The module the forward pass runs through: a wrapper (DDP, FSDP) where the strategy has one."""
        return module

    def setup_optimizer(self, optimizer: Optimizer) -> Optimizer:
        return optimizer

    def module_to_device(self, module: Module) -> None:
        module.to(self.root_device)

    def batch_to_device(self, batch: Any, device: Optional[torch.device] = None) -> Any:
        return move_data_to_device(batch, device or self.root_device)

    def module_init_context(self, empty_init: Optional[bool] = None) -> ContextManager:
        """Create a model's parameters on the device and in the precision's dtype."""
        return self._init_context(self.precision.module_init_context())

    def tensor_init_context(self) -> ContextManager:
        """Create tensors on the device and in the precision's dtype."""
        return self._init_context(self.precision.tensor_init_context())

    @contextlib.contextmanager
    def _init_context(self, precision_context: ContextManager) -> Generator:
        with torch.device(self.root_device), precision_context:
            yield

    def _no_backward_sync(self, module: Module, enabled: bool) -> ContextManager:
        """Skip the gradient synchronization of ``module`` (one process: nothing to skip)."""
        return contextlib.nullcontext()

    # ------------------------------------------------------------ steps (Fabric's)
    def backward(self, tensor: Tensor, module: Optional[Module], *args: Any, **kwargs: Any) -> None:
        precision = fabric_precision(self.precision)
        precision.pre_backward(tensor, module)  # (its result is not the tensor to back-propagate: as in 2.6.6)
        precision.backward(tensor, module, *args, **kwargs)
        precision.post_backward(tensor, module)

    def optimizer_step(self, optimizer: Any, **kwargs: Any) -> Any:
        return fabric_precision(self.precision).optimizer_step(optimizer, **kwargs)

    def clip_gradients_norm(self, module: Module, optimizer: Optimizer, max_norm: Union[float, int],
                            norm_type: Union[float, int] = 2.0, error_if_nonfinite: bool = True) -> Tensor:
        self._step_precision.unscale_gradients(optimizer)
        return torch.nn.utils.clip_grad_norm_(_params(optimizer), max_norm=max_norm, norm_type=norm_type,
                                              error_if_nonfinite=error_if_nonfinite)

    def clip_gradients_value(self, module: Module, optimizer: Optimizer, clip_val: Union[float, int]) -> None:
        self._step_precision.unscale_gradients(optimizer)
        torch.nn.utils.clip_grad_value_(_params(optimizer), clip_value=clip_val)

    @property
    def _step_precision(self) -> Any:
        """The precision plugin with Fabric's step API (``backward(tensor, module)``, ``optimizer_step(optimizer)``,
        ``unscale_gradients``); see :mod:`._precision_api`."""
        return fabric_precision(self.precision)

    # ------------------------------------------------------------ collectives (one process: identities)
    def all_gather(self, tensor: Tensor, group: Optional[Any] = None, sync_grads: bool = False) -> Tensor:
        return tensor

    def all_reduce(self, tensor: Any, group: Optional[Any] = None, reduce_op: Optional[Any] = "mean") -> Any:
        return tensor

    def reduce_boolean_decision(self, decision: bool, all: bool = True) -> bool:
        return decision

    def barrier(self, name: Optional[str] = None) -> None:
        pass

    def broadcast(self, obj: Any, src: int = 0) -> Any:
        return obj

    # ------------------------------------------------------------ checkpoints (Fabric's)
    def get_module_state_dict(self, module: Module) -> dict:
        return module.state_dict()

    def load_module_state_dict(self, module: Module, state_dict: dict, strict: bool = True) -> None:
        module.load_state_dict(state_dict, strict=strict)

    def get_optimizer_state(self, optimizer: Optimizer) -> dict:
        return optimizer.state_dict()

    def save_checkpoint(self, path: Any, state: dict, storage_options: Optional[Any] = None,
                        filter: Optional[dict] = None) -> None:
        """Write ``state`` with modules, optimizers and other stateful objects replaced by their state dicts
        (rank zero writes); ``filter`` maps a key to ``fn(name, value) -> bool`` choosing entries of its state."""
        checkpoint = self._convert_stateful_objects_in_state(state, filter=filter or {})
        if self.is_global_zero:
            self.checkpoint_io.save_checkpoint(checkpoint, path, storage_options=storage_options)

    def _convert_stateful_objects_in_state(self, state: dict, filter: dict) -> dict:
        converted = {}
        for key, obj in state.items():
            if isinstance(obj, Module):
                value = self.get_module_state_dict(obj)
            elif isinstance(obj, Optimizer):
                value = self.get_optimizer_state(obj)
            elif _is_stateful(obj):
                value = obj.state_dict()
            else:
                value = obj
            if key in filter and isinstance(value, dict):
                keep = filter[key]
                value = {name: item for name, item in value.items() if keep(name, item)}
            converted[key] = value
        return converted

    def load_checkpoint(self, path: Any, state: Optional[Any] = None, strict: bool = True,
                        weights_only: Optional[bool] = None) -> dict:
        """Restore ``state`` (a module, an optimizer or a dict of objects) in place from ``path``; return what the
        checkpoint holds beyond it (everything when ``state`` is empty)."""
        checkpoint = self.checkpoint_io.load_checkpoint(path, weights_only=weights_only)
        if not state:
            return checkpoint
        if isinstance(state, (Module, Optimizer)):
            self._restore(state, checkpoint, strict)
            return {}
        missing = [key for key in state if key not in checkpoint]
        if strict and missing:
            raise KeyError(
                f"`fabric.load()` was asked to restore {missing[0]!r}, but the checkpoint at {path} has no such key "
                f"(it has {sorted(checkpoint)}). Restore only keys it has, or pass `strict=False` to skip missing ones."
            )
        for key, obj in list(state.items()):
            if key not in checkpoint:
                continue
            if isinstance(obj, Module) or _is_stateful(obj):
                self._restore(obj, checkpoint.pop(key), strict)
            else:
                state[key] = checkpoint.pop(key)
        return checkpoint

    def _restore(self, obj: Any, saved: Any, strict: bool) -> None:
        if isinstance(obj, Module):
            self.load_module_state_dict(obj, saved, strict=strict)
        elif isinstance(obj, Optimizer):
            self._load_optimizer_state(obj, saved)
        else:
            obj.load_state_dict(saved)

    def _load_optimizer_state(self, optimizer: Optimizer, state: dict) -> None:
        optimizer.load_state_dict(state)

    def teardown(self) -> None:
        self.precision.teardown()
        if self.accelerator is not None:
            self.accelerator.teardown()

    @classmethod
    def register_strategies(cls, strategy_registry: Any) -> None:
        pass


def _is_stateful(obj: Any) -> bool:
    return callable(getattr(obj, "state_dict", None)) and callable(getattr(obj, "load_state_dict", None))


def _params(optimizer: Optimizer) -> list:
    return [p for group in optimizer.param_groups for p in group["params"]]

