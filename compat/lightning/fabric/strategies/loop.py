"""A Trainer strategy seen from a hand-written loop.

The Trainer's strategies own devices, ranks, collectives, process launching, model wrapping (DDP, FSDP), FSDP's
consolidated state dicts and checkpoint I/O. Fabric calls them through this adapter, which adds only what a
hand-written loop needs and the Trainer does elsewhere: setting up a plain module, stepping without Trainer hooks
(see :mod:`lightning.fabric.plugins.precision.loop`), turning a ``{"model": module, ...}`` state into a checkpoint
and back, gradient clipping and skipping gradient sync.
"""
import contextlib
from typing import Any, ContextManager, Optional, Union

import torch
from torch import Tensor
from torch.nn import Module
from torch.optim import Optimizer

from lightning.fabric.plugins.precision.loop import _LoopPrecision
from lightning.fabric.utilities.rank_zero import WarningCache
from lightning.pytorch.strategies.strategy import SingleDeviceStrategy, Strategy, rank_properties

_warning_cache = WarningCache()


def _is_stateful(obj: Any) -> bool:
    return callable(getattr(obj, "state_dict", None)) and callable(getattr(obj, "load_state_dict", None))


class _LoopStrategy:
    """Wraps one Trainer ``Strategy``; that strategy stays the single owner of devices, processes and I/O."""

    def __init__(self, strategy: Strategy) -> None:
        self.strategy = strategy
        self.precision = _LoopPrecision(strategy.precision_plugin)
        # FSDP: the strategy's own state-dict / optimizer-state code runs on the one model it sharded
        self.sharded = type(strategy).__name__ == "FSDPStrategy"
        if self.sharded and getattr(strategy, "_state_dict_type", "full") != "full":
            raise NotImplementedError(
                "Fabric saves FSDP models as one consolidated checkpoint: use `FSDPStrategy(state_dict_type='full')` "
                "(the default) with Fabric, or the Trainer for sharded checkpoint folders."
            )

    # ------------------------------------------------------------ where and who
    @property
    def root_device(self) -> torch.device:
        return self.strategy.root_device

    global_rank, local_rank, node_rank, world_size, is_global_zero = rank_properties("strategy")

    @property
    def launcher(self) -> Any:
        return getattr(self.strategy, "launcher", None)

    @property
    def needs_launch(self) -> bool:
        """Whether processes must be set up by ``fabric.launch()`` (or the CLI) before models and data."""
        return not isinstance(self.strategy, SingleDeviceStrategy)

    def setup_environment(self) -> None:
        self.strategy.setup_environment()

    # ------------------------------------------------------------ models, optimizers, data
    def module_to_device(self, module: Module) -> None:
        module.to(self.root_device)

    def setup_module(self, module: Module) -> Module:
        """The module the forward pass runs through: the strategy's wrapper (e.g. DDP, FSDP) where it has one."""
        wrap = getattr(self.strategy, "_setup_model", None)
        if wrap is None:
            return module
        if self.sharded and self.strategy.lightning_module is not None:
            raise NotImplementedError(
                "Fabric with FSDP sets up one model: wrap the submodules in a single `nn.Module` and set that up."
            )
        wrapped = wrap(module)
        if self.sharded:
            self.strategy.connect(module)
            self.strategy.model = wrapped
        return wrapped

    def _is_sharded_module(self, obj: Any) -> bool:
        return self.sharded and obj is self.strategy.lightning_module

    def module_init_context(self, empty_init: Optional[bool] = None) -> ContextManager:
        return self.strategy.tensor_init_context(empty_init=empty_init)

    def tensor_init_context(self) -> ContextManager:
        return self.strategy.tensor_init_context()

    @property
    def distributed_sampler_kwargs(self) -> Optional[dict]:
        kwargs = getattr(self.strategy, "distributed_sampler_kwargs", None)
        if kwargs is None and self.world_size > 1:
            kwargs = {"num_replicas": self.world_size, "rank": self.global_rank}
        return kwargs

    def no_backward_sync(self, module: Module, enabled: bool) -> ContextManager:
        if not enabled:
            return contextlib.nullcontext()
        no_sync = getattr(module, "no_sync", None)  # DistributedDataParallel's own switch
        if callable(no_sync):
            return no_sync()
        if self.needs_launch:
            _warning_cache.warn(
                f"`fabric.no_backward_sync()` has no effect with `{type(self.strategy).__name__}`: its model wrapper "
                "cannot skip gradient synchronization, so every backward still synchronizes."
            )
        return contextlib.nullcontext()

    # ------------------------------------------------------------ steps
    def backward(self, tensor: Tensor, module: Optional[Module], *args: Any, **kwargs: Any) -> None:
        self.precision.backward(tensor, *args, **kwargs)

    def optimizer_step(self, optimizer: Optimizer, **kwargs: Any) -> Any:
        return self.precision.optimizer_step(optimizer, **kwargs)

    def clip_gradients_norm(self, module: Module, optimizer: Optimizer, max_norm: Union[float, int],
                            norm_type: Union[float, int], error_if_nonfinite: bool) -> Tensor:
        self.precision.unscale_gradients(optimizer)
        sharded_clip = getattr(module, "clip_grad_norm_", None)  # FSDP: the norm over every rank's shards
        if self.sharded and callable(sharded_clip):
            return sharded_clip(max_norm=max_norm, norm_type=norm_type)
        return torch.nn.utils.clip_grad_norm_(
            _params(optimizer), max_norm=max_norm, norm_type=norm_type, error_if_nonfinite=error_if_nonfinite
        )

    def clip_gradients_value(self, module: Module, optimizer: Optimizer, clip_val: Union[float, int]) -> None:
        if self.sharded:
            raise NotImplementedError(
                "FSDP shards the gradients, so clipping by value is not supported with it: clip by norm "
                "(`fabric.clip_gradients(model, optimizer, max_norm=...)`)."
            )
        self.precision.unscale_gradients(optimizer)
        torch.nn.utils.clip_grad_value_(_params(optimizer), clip_value=clip_val)

    # ------------------------------------------------------------ collectives
    def all_reduce(self, tensor: Tensor, group: Optional[Any] = None, reduce_op: Optional[Any] = "mean") -> Tensor:
        return self.strategy.reduce(tensor, group=group, reduce_op=reduce_op)

    def all_gather(self, tensor: Tensor, group: Optional[Any] = None, sync_grads: bool = False) -> Tensor:
        return self.strategy.all_gather(tensor, group=group, sync_grads=sync_grads)

    def broadcast(self, obj: Any, src: int = 0) -> Any:
        return self.strategy.broadcast(obj, src=src)

    def barrier(self, name: Optional[str] = None) -> None:
        self.strategy.barrier(name=name)

    # ------------------------------------------------------------ checkpoints
    def save_checkpoint(self, path: Any, state: dict, filter: Optional[dict] = None) -> None:
        """Write ``state`` with modules, optimizers and other stateful objects replaced by their state dicts."""
        filter = filter or {}
        checkpoint = {}
        for key, obj in state.items():
            if self._is_sharded_module(obj):
                value = self.strategy.lightning_module_state_dict()  # consolidated (a collective: every rank)
            elif self.sharded and isinstance(obj, Optimizer):
                value = self.strategy.optimizer_state(obj)
            else:
                value = obj.state_dict() if _is_stateful(obj) else obj
            if key in filter and isinstance(value, dict):
                keep = filter[key]
                value = {name: item for name, item in value.items() if keep(name, item)}
            checkpoint[key] = value
        self.strategy.save_checkpoint(checkpoint, path)

    def load_checkpoint(self, path: Any, state: Any = None, strict: bool = True,
                        weights_only: Optional[bool] = None) -> dict:
        """Restore ``state`` in place from ``path``; return what the checkpoint holds beyond it."""
        checkpoint = self.strategy.load_checkpoint(path, weights_only=weights_only)
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
        if self._is_sharded_module(obj):
            self.strategy.load_model_state_dict({"state_dict": saved}, strict=strict)
        elif self.sharded and isinstance(obj, Optimizer):
            self.strategy.optimizers = [obj]  # the strategy restores the state of its `optimizers`
            self.strategy.load_optimizer_state_dict({"optimizer_states": [saved]})
        elif isinstance(obj, Module):
            obj.load_state_dict(saved, strict=strict)
        else:
            obj.load_state_dict(saved)


def _params(optimizer: Optimizer) -> list:
    return [p for group in optimizer.param_groups for p in group["params"]]
