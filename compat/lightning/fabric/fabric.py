"""``Fabric``: devices, precision and distributed processes for users who write their own training loop.

``Fabric(...)`` resolves its arguments into an accelerator, a strategy and a precision plugin (see
:mod:`lightning.fabric.connector`); the strategy (:mod:`lightning.fabric.strategies`) does the work: devices,
processes, model wrapping, backward and optimizer step through the precision, collectives and checkpoint I/O.
Everything here is the user-facing API: ``setup*`` (wrap models, optimizers, dataloaders), ``backward``,
``clip_gradients``, collectives, ``save`` / ``load``, ``log``, callbacks and ``launch``.
"""
import contextlib
import inspect
import os
from functools import partial
from pathlib import Path
from typing import Any, Callable, ContextManager, Generator, Mapping, Optional, Sequence, Union

import torch
from torch import Tensor, nn
from torch.optim import Optimizer
from torch.utils.data import DataLoader, DistributedSampler, RandomSampler, SequentialSampler

import lightning.fabric.wrappers as _wrappers
from lightning.fabric.connector import _Connector, _is_using_cli
from lightning.fabric.strategies._precision_api import fabric_precision
from lightning.fabric.utilities.apply_func import (
    apply_to_collection,
    convert_tensors_to_scalars,
    convert_to_tensors,
    move_data_to_device,
)
from lightning.fabric.utilities.rank_zero import rank_zero_deprecation, rank_zero_warn
from lightning.fabric.utilities.seed import pl_worker_init_function, seed_everything
from lightning.fabric.utilities.warnings import PossibleUserWarning
from lightning.fabric.wrappers import _FabricDataLoader, _FabricModule, _FabricOptimizer, _unwrap_objects


def _do_nothing(*_: Any) -> None:
    pass


class Fabric:
    """Accelerate a hand-written PyTorch loop: choose hardware, precision and processes in one place.

    Args:
        accelerator: "cpu", "cuda", "mps", "gpu", "auto" or an ``Accelerator``.
        strategy: "auto", "single_device", "ddp", ... or a ``Strategy``.
        devices: how many devices (or which) per node; "auto" picks all of the accelerator's.
        num_nodes: how many machines take part.
        precision: "32-true" (default), "64-true", "16-mixed", "bf16-mixed", "16-true", "bf16-true".
        plugins: precision plugin, checkpoint I/O or cluster environment objects.
        callbacks: objects whose methods ``fabric.call(name, ...)`` invokes.
        loggers: ``Logger`` objects that ``fabric.log`` / ``fabric.log_dict`` write to.
    """

    def __init__(
        self,
        *,
        accelerator: Any = "auto",
        strategy: Any = "auto",
        devices: Union[list, str, int] = "auto",
        num_nodes: int = 1,
        precision: Any = None,
        plugins: Optional[Any] = None,
        callbacks: Optional[Union[list, Any]] = None,
        loggers: Optional[Union[Any, list]] = None,
    ) -> None:
        if hasattr(strategy, "lightning_module"):  # a Trainer strategy: its methods have the Trainer's signatures
            raise ValueError(
                f"You selected an invalid strategy name: `strategy={strategy!r}` is a Trainer strategy, which drives a "
                "LightningModule. Fabric takes a name (e.g. 'ddp') or an instance of "
                "`lightning.fabric.strategies.Strategy` (e.g. `lightning.fabric.strategies.DDPStrategy()`)."
            )
        connector = _Connector(accelerator=accelerator, strategy=strategy, devices=devices, num_nodes=num_nodes,
                               precision=precision, plugins=plugins)
        self._connector = connector
        self._strategy = connector.strategy
        self._accelerator = connector.accelerator
        if getattr(self._strategy, "_state_dict_type", "full") != "full":
            raise NotImplementedError(
                "Fabric saves FSDP models as one consolidated checkpoint: use `FSDPStrategy(state_dict_type='full')` "
                "(the default) with Fabric, or the Trainer for sharded checkpoint folders."
            )
        self._precision = fabric_precision(self._strategy.precision)
        callbacks = callbacks if callbacks is not None else []
        self._callbacks: list = callbacks if isinstance(callbacks, list) else [callbacks]
        loggers = loggers if loggers is not None else []
        self._loggers: list = loggers if isinstance(loggers, list) else [loggers]
        self._models_setup = 0
        self._launched = False
        self._prepare_run_method()
        if _is_using_cli():
            # `fabric run` already started the processes: join them now so every API works right away
            self._strategy.setup_environment()
            self._launched = True

    # ------------------------------------------------------------ what and where
    @property
    def accelerator(self) -> Any:
        return self._accelerator

    @property
    def strategy(self) -> Any:
        return self._strategy

    @property
    def device(self) -> torch.device:
        """The device of this process; tensors created with it land where the model is."""
        return self._strategy.root_device

    @property
    def global_rank(self) -> int:
        return self._strategy.global_rank

    @property
    def local_rank(self) -> int:
        return self._strategy.local_rank

    @property
    def node_rank(self) -> int:
        return self._strategy.node_rank

    @property
    def world_size(self) -> int:
        return self._strategy.world_size

    @property
    def is_global_zero(self) -> bool:
        return self._strategy.is_global_zero

    @property
    def loggers(self) -> list:
        return self._loggers

    @property
    def logger(self) -> Any:
        """The first logger given to ``Fabric(loggers=...)``."""
        if not self._loggers:
            raise IndexError("This Fabric has no logger: pass one with `Fabric(loggers=...)`.")
        return self._loggers[0]

    def run(self, *args: Any, **kwargs: Any) -> Any:
        """Override in a subclass to hold the training code; calling it launches the processes first."""
        raise NotImplementedError(
            "`Fabric.run()` does nothing by itself: subclass `Fabric` and override `run`, or call "
            "`fabric.launch(your_function)`."
        )

    # ------------------------------------------------------------ setup
    def setup(self, module: nn.Module, *optimizers: Optimizer, scheduler: Optional[Any] = None,
              move_to_device: bool = True, _reapply_compile: bool = True) -> Any:
        """Prepare ``module`` (precision, device, strategy wrapper) and its optimizers for the loop.

        Returns the wrapped module, or ``(module, *optimizers)`` (plus ``scheduler`` if given).
        """
        self._validate_setup(module, optimizers)
        fabric_module = self._setup_module(module, move_to_device)
        fabric_optimizers = [_FabricOptimizer(opt, self._strategy, self._callbacks) for opt in optimizers]
        if hasattr(module, "_fabric_optimizers"):
            module._fabric_optimizers = fabric_optimizers
        self.call("on_after_setup", fabric=self, module=fabric_module)
        if not fabric_optimizers:
            return fabric_module
        outputs = (fabric_module, *fabric_optimizers)
        return (*outputs, scheduler) if scheduler is not None else outputs

    def setup_module(self, module: nn.Module, move_to_device: bool = True,
                     _reapply_compile: bool = True) -> _FabricModule:
        """Prepare ``module`` alone; create its optimizers afterwards and pass them to :meth:`setup_optimizers`."""
        self._validate_launched()
        if isinstance(module, _FabricModule):
            raise ValueError(
                "This model was already set up by Fabric (it is a `_FabricModule`); pass the original model, once."
            )
        return self._setup_module(module, move_to_device)

    def _setup_module(self, module: nn.Module, move_to_device: bool) -> _FabricModule:
        original = module
        module = self._precision.convert_module(module)
        if move_to_device:
            module = self._move_model_to_device(module)
        if getattr(self._strategy, "_wrapper", None) is not None:
            raise NotImplementedError(
                "Fabric with FSDP sets up one model: wrap the submodules in a single `nn.Module` and set that up."
            )
        forward_module = self._strategy.setup_module(module)
        fabric_module = _FabricModule(forward_module, self._strategy, original_module=original)
        device = self.device if move_to_device else next(original.parameters(), torch.empty(0)).device
        fabric_module._fabric_device = device
        if hasattr(original, "_fabric"):  # a LightningModule: its `self.log`, `self.backward` go through Fabric
            original._fabric = self
            if original not in self._callbacks:
                self._callbacks.append(original)
        self._models_setup += 1
        return fabric_module

    def setup_optimizers(self, *optimizers: Optimizer) -> Union[_FabricOptimizer, tuple]:
        """Wrap optimizers (created after :meth:`setup_module`) so that their step goes through the strategy."""
        self._validate_launched()
        if not optimizers:
            raise ValueError("`fabric.setup_optimizers()` needs at least one optimizer.")
        if any(isinstance(opt, _FabricOptimizer) for opt in optimizers):
            raise ValueError("An optimizer was already set up by Fabric; pass each original optimizer once.")
        wrapped = tuple(_FabricOptimizer(opt, self._strategy, self._callbacks) for opt in optimizers)
        return wrapped[0] if len(wrapped) == 1 else wrapped

    def setup_dataloaders(self, *dataloaders: DataLoader, use_distributed_sampler: bool = True,
                          move_to_device: bool = True) -> Union[DataLoader, list]:
        """Give each loader a ``DistributedSampler`` (several processes) and move its batches to the device."""
        self._validate_launched()
        if not dataloaders:
            raise ValueError("`fabric.setup_dataloaders()` needs at least one dataloader.")
        if any(isinstance(dl, _FabricDataLoader) for dl in dataloaders):
            raise ValueError("A dataloader was already set up by Fabric; pass each original dataloader once.")
        if any(not isinstance(dl, DataLoader) for dl in dataloaders):
            raise TypeError(
                "`fabric.setup_dataloaders()` takes `torch.utils.data.DataLoader` objects only, got "
                f"{[type(dl).__name__ for dl in dataloaders if not isinstance(dl, DataLoader)]}."
            )
        wrapped = [self._setup_dataloader(dl, use_distributed_sampler, move_to_device) for dl in dataloaders]
        return wrapped[0] if len(wrapped) == 1 else wrapped

    def _setup_dataloader(self, dataloader: DataLoader, use_distributed_sampler: bool,
                          move_to_device: bool) -> DataLoader:
        sampler_kwargs = getattr(self._strategy, "distributed_sampler_kwargs", None)
        if sampler_kwargs is None and self.world_size > 1:
            sampler_kwargs = {"num_replicas": self.world_size, "rank": self.global_rank}
        if use_distributed_sampler and sampler_kwargs is not None and _can_shard(dataloader):
            from lightning.fabric.utilities.data import _rebuild_with_sampler

            sampler = _distributed_sampler(dataloader, **sampler_kwargs)
            dataloader = _rebuild_with_sampler(dataloader, sampler)
        if dataloader.worker_init_fn is None and os.environ.get("PL_SEED_WORKERS") == "1":
            dataloader.worker_init_fn = partial(pl_worker_init_function, rank=self.global_rank)
        device = self.device if move_to_device else None
        return _FabricDataLoader(dataloader, device=device)  # type: ignore[return-value]

    # ------------------------------------------------------------ the step
    def backward(self, tensor: Tensor, *args: Any, model: Optional[_FabricModule] = None, **kwargs: Any) -> None:
        """``tensor.backward()`` with the precision's loss scaling (and the strategy's gradient sync)."""
        module = model._forward_module if model is not None else None
        _wrappers._in_fabric_backward = True
        try:
            self._strategy.backward(tensor, module, *args, **kwargs)
        finally:
            _wrappers._in_fabric_backward = False

    def clip_gradients(self, module: Union[nn.Module, _FabricModule], optimizer: Union[Optimizer, _FabricOptimizer],
                       clip_val: Optional[Union[float, int]] = None, max_norm: Optional[Union[float, int]] = None,
                       norm_type: Union[float, int] = 2.0, error_if_nonfinite: bool = True) -> Optional[Tensor]:
        """Clip gradients by value (``clip_val``) or by total norm (``max_norm``, returns the norm before clipping).

        Gradients are unscaled first when the precision scales the loss.
        """
        if clip_val is not None and max_norm is not None:
            raise ValueError(
                "`fabric.clip_gradients()` got both `clip_val` and `max_norm`; they select different algorithms "
                "(by value / by norm). Pass one of them."
            )
        optimizer = _unwrap_objects(optimizer)
        module = module._forward_module if isinstance(module, _FabricModule) else module
        if clip_val is not None:
            self._strategy.clip_gradients_value(module, optimizer, clip_val=clip_val)
            return None
        if max_norm is not None:
            return self._strategy.clip_gradients_norm(module, optimizer, max_norm=max_norm, norm_type=norm_type,
                                                  error_if_nonfinite=error_if_nonfinite)
        raise ValueError(
            "`fabric.clip_gradients()` needs `clip_val=` (clip each gradient value) or `max_norm=` (clip the total "
            "norm)."
        )

    def autocast(self) -> ContextManager:
        """The precision's forward context (autocast for "*-mixed"), for code that runs outside the model."""
        return self._precision.forward_context()

    @contextlib.contextmanager
    def no_backward_sync(self, module: _FabricModule, enabled: bool = True) -> Generator:
        """Skip the gradient synchronization of ``module`` inside the block (for gradient accumulation)."""
        if not isinstance(module, _FabricModule):
            raise TypeError(
                "`fabric.no_backward_sync()` needs the model returned by `fabric.setup()`/`fabric.setup_module()`, "
                f"got a {type(module).__name__}. Set the model up first: `model = fabric.setup(model, ...)`."
            )
        with self._strategy._no_backward_sync(module._forward_module, enabled):
            yield

    @contextlib.contextmanager
    def init_module(self, empty_init: Optional[bool] = None) -> Generator:
        """Create a model's parameters directly on the device and in the precision's dtype."""
        self._validate_launched()
        with self._strategy.module_init_context(empty_init=empty_init):
            yield

    @contextlib.contextmanager
    def init_tensor(self) -> Generator:
        """Create tensors directly on the device and in the precision's dtype."""
        with self._strategy.tensor_init_context():
            yield

    @contextlib.contextmanager
    def sharded_model(self) -> Generator:
        """Deprecated spelling of :meth:`init_module`."""
        rank_zero_deprecation("`Fabric.sharded_model()` is deprecated: use `with fabric.init_module():` instead.")
        yield

    def to_device(self, obj: Any) -> Any:
        """Move a module, a tensor or a collection of tensors to this process's device."""
        if isinstance(obj, nn.Module):
            self._accelerator.setup_device(self.device)
            self._strategy.module_to_device(obj)
            return obj
        return move_data_to_device(obj, device=self.device)

    def print(self, *args: Any, **kwargs: Any) -> None:
        """``print`` on the first process of each node only."""
        if self.local_rank == 0:
            print(*args, **kwargs)

    # ------------------------------------------------------------ collectives
    def barrier(self, name: Optional[str] = None) -> None:
        self._validate_launched()
        self._strategy.barrier(name=name)

    def broadcast(self, obj: Any, src: int = 0) -> Any:
        self._validate_launched()
        return self._strategy.broadcast(obj, src=src)

    def all_gather(self, data: Union[Tensor, dict, list, tuple], group: Optional[Any] = None,
                   sync_grads: bool = False) -> Union[Tensor, dict, list, tuple]:
        """Gather tensors (numbers become tensors) from every process: each gains a leading world-size dimension."""
        self._validate_launched()
        data = convert_to_tensors(data, device=self.device)
        return apply_to_collection(data, Tensor, self._strategy.all_gather, group=group, sync_grads=sync_grads)

    def all_reduce(self, data: Union[Tensor, dict, list, tuple], group: Optional[Any] = None,
                   reduce_op: Optional[Any] = "mean") -> Union[Tensor, dict, list, tuple]:
        """Reduce tensors (numbers become tensors) across processes with ``reduce_op`` ("mean", "sum", ...)."""
        self._validate_launched()
        data = convert_to_tensors(data, device=self.device)
        return apply_to_collection(data, Tensor, self._strategy.all_reduce, group=group, reduce_op=reduce_op)

    @contextlib.contextmanager
    def rank_zero_first(self, local: bool = False) -> Generator:
        """Let rank 0 (of the node if ``local``) run the block before the others (e.g. to download data once)."""
        rank = self.local_rank if local else self.global_rank
        if rank > 0:
            self.barrier()
        yield
        if rank == 0:
            self.barrier()

    # ------------------------------------------------------------ checkpoints
    def save(self, path: Union[str, Path], state: dict, filter: Optional[dict] = None) -> None:
        """Save ``state``; modules, optimizers and other objects with ``state_dict()`` are stored as their state.

        ``filter`` maps a key of ``state`` to ``fn(name, value) -> bool`` that keeps entries of its state dict. The
        strategy decides which processes write (rank 0 for DDP); call this on every process.
        """
        if filter is not None:
            if not isinstance(filter, dict):
                raise TypeError(f"`fabric.save(filter=...)` takes a dict of key -> callable, got {filter!r}.")
            unknown = set(filter) - set(state)
            if unknown:
                raise ValueError(
                    f"`fabric.save(filter=...)` has keys {sorted(unknown)} that are not in the state "
                    f"({sorted(state)}); each filter key must name an entry of the state."
                )
            for key, fn in filter.items():
                if not callable(fn):
                    raise TypeError(
                        f"`fabric.save(filter=...)` needs a callable `fn(name, value) -> bool` for {key!r}, got {fn!r}."
                    )
        self._strategy.save_checkpoint(path, _unwrap_objects(state), filter=filter)
        self.barrier()

    def load(self, path: Union[str, Path], state: Optional[dict] = None, strict: bool = True, *,
             weights_only: Optional[bool] = None) -> dict:
        """Restore the objects in ``state`` in place from ``path``; return the checkpoint's other entries.

        Without ``state`` the whole checkpoint is returned. Plain values in ``state`` are replaced by the saved
        ones. ``strict`` makes a key of ``state`` that the checkpoint lacks an error (and loads modules strictly).
        """
        unwrapped = _unwrap_objects(state)
        remainder = self._strategy.load_checkpoint(path, unwrapped, strict=strict, weights_only=weights_only)
        self.barrier()
        if state is not None:
            for key in list(unwrapped):  # copy plain values back into the caller's dict
                if not _wrappers.is_wrapped(state[key]):
                    state[key] = unwrapped[key]
        return remainder

    def load_raw(self, path: Union[str, Path], obj: Union[nn.Module, Optimizer], strict: bool = True, *,
                 weights_only: Optional[bool] = None) -> None:
        """Load a plain ``state_dict`` file (saved without Fabric) into a module or optimizer."""
        self._strategy.load_checkpoint(path, _unwrap_objects(obj), strict=strict, weights_only=weights_only)

    # ------------------------------------------------------------ launching
    def launch(self, function: Callable[["Fabric"], Any] = _do_nothing, *args: Any, **kwargs: Any) -> Any:
        """Start the processes the strategy needs and join them; run ``function(fabric, *args, **kwargs)`` if given.

        Returns what ``function`` returns on rank 0. Not needed (and not allowed) under ``fabric run``.
        """
        if _is_using_cli():
            raise RuntimeError(
                "This script was started by `fabric run`, which already created the processes: remove the "
                "`fabric.launch()` call from the script (or run it with `python` instead)."
            )
        if function is not _do_nothing:
            if not callable(function):
                raise TypeError(
                    f"`fabric.launch()` takes a function, got {function!r}. Pass the function itself: "
                    "`fabric.launch(train)`, not `fabric.launch(train())`."
                )
            if not _accepts_arguments(function):
                raise TypeError(
                    f"`fabric.launch({getattr(function, '__name__', function)})`: the function must take the "
                    "`Fabric` object as its first argument, e.g. `def train(fabric): ...`."
                )
        elif self._launched:
            return None
        return self._wrap_and_launch(function, self, *args, **kwargs)

    def _wrap_and_launch(self, to_run: Callable, *args: Any, **kwargs: Any) -> Any:
        self._launched = True
        to_run = partial(self._wrap_with_setup, to_run)
        launcher = self._strategy.launcher
        if launcher is not None:
            return launcher.launch(to_run, *args, **kwargs)
        return to_run(*args, **kwargs)

    def _wrap_with_setup(self, to_run: Callable, *args: Any, **kwargs: Any) -> Any:
        self._strategy.setup_environment()
        return to_run(*args, **kwargs)

    def _prepare_run_method(self) -> None:
        if type(self).run is not Fabric.run:
            if _is_using_cli():
                raise TypeError(
                    "A `Fabric` subclass that overrides `run()` cannot be started with `fabric run`: run the script "
                    "with `python`, or move the code out of `run()` and use `fabric.setup(...)` directly."
                )
            # calling `run()` launches the processes first, then runs the override in each of them
            self.run = partial(self._wrap_and_launch, self.run)  # type: ignore[method-assign]

    # ------------------------------------------------------------ callbacks and logging
    def call(self, hook_name: str, *args: Any, **kwargs: Any) -> None:
        """Call ``hook_name`` on every callback that has it; keyword arguments it does not take are left out."""
        for callback in self._callbacks:
            method = getattr(callback, hook_name, None)
            if method is None:
                continue
            if not callable(method):
                rank_zero_warn(
                    f"`{type(callback).__name__}.{hook_name}` is not callable, so `fabric.call({hook_name!r})` "
                    "skips it."
                )
                continue
            method(*args, **_kwargs_for(method, kwargs))

    def log(self, name: str, value: Any, step: Optional[int] = None) -> None:
        """Log one scalar (a tensor is detached and turned into a number) to every logger."""
        self.log_dict({name: value}, step=step)

    def log_dict(self, metrics: Mapping[str, Any], step: Optional[int] = None) -> None:
        """Log several scalars at once to every logger."""
        metrics = convert_tensors_to_scalars(metrics)
        for logger in self._loggers:
            logger.log_metrics(metrics=metrics, step=step)

    @staticmethod
    def seed_everything(seed: Optional[int] = None, workers: Optional[bool] = None, verbose: bool = True) -> int:
        """:func:`lightning.fabric.utilities.seed.seed_everything`, with dataloader-worker seeding on by default."""
        return seed_everything(seed=seed, workers=True if workers is None else workers, verbose=verbose)

    # ------------------------------------------------------------ checks
    def _validate_launched(self) -> None:
        if not self._launched and self._strategy._needs_launch:
            raise RuntimeError(
                f"`{type(self._strategy).__name__}` runs several processes: call `fabric.launch()` before setting "
                "up models and data, or start the script with `fabric run` (see `fabric run --help`)."
            )

    def _validate_setup(self, module: nn.Module, optimizers: Sequence[Optimizer]) -> None:
        self._validate_launched()
        if isinstance(module, _FabricModule):
            raise ValueError(
                "This model was already set up by Fabric (it is a `_FabricModule`); pass the original model, once."
            )
        if any(isinstance(opt, _FabricOptimizer) for opt in optimizers):
            raise ValueError("An optimizer was already set up by Fabric; pass each original optimizer once.")

    def _move_model_to_device(self, module: nn.Module) -> nn.Module:
        devices = {param.device for param in module.parameters()}
        if len(devices) > 1:
            rank_zero_warn(
                f"The model given to `fabric.setup()` has parameters on several devices ({sorted(map(str, devices))}); "
                f"all of them are moved to {self.device}. Pass `move_to_device=False` to keep them where they are.",
                category=PossibleUserWarning,
            )
        return self.to_device(module)


def _accepts_arguments(function: Callable) -> bool:
    try:
        return bool(inspect.signature(function).parameters)
    except (TypeError, ValueError):  # builtins without a signature: let the call decide
        return True


def _kwargs_for(method: Callable, kwargs: dict) -> dict:
    """The subset of ``kwargs`` that ``method`` accepts (all of them if it takes ``**kwargs``)."""
    if not kwargs:
        return kwargs
    try:
        parameters = inspect.signature(method).parameters
    except (TypeError, ValueError):
        return kwargs
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        return kwargs
    return {name: value for name, value in kwargs.items() if name in parameters}


def _can_shard(dataloader: DataLoader) -> bool:
    from torch.utils.data import IterableDataset

    return not isinstance(dataloader.sampler, DistributedSampler) and not isinstance(
        dataloader.dataset, IterableDataset)


def _distributed_sampler(dataloader: DataLoader, **kwargs: Any) -> Any:
    kwargs.setdefault("shuffle", isinstance(dataloader.sampler, RandomSampler))
    kwargs.setdefault("seed", int(os.environ.get("PL_GLOBAL_SEED", 0)))
    if isinstance(dataloader.sampler, (RandomSampler, SequentialSampler)):
        return DistributedSampler(dataloader.dataset, **kwargs)
    try:
        from lightning.fabric.utilities.distributed import DistributedSamplerWrapper
    except ImportError:
        raise TypeError(
            f"The dataloader uses a custom sampler ({type(dataloader.sampler).__name__}) that Fabric cannot shard "
            "across processes here. Pass `use_distributed_sampler=False` and shard the data in your sampler."
        ) from None
    return DistributedSamplerWrapper(dataloader.sampler, **kwargs)
