"""``LightningModule``: a ``torch.nn.Module`` that also says how to train, evaluate and predict itself."""
import logging
import numbers
from contextlib import contextmanager
from typing import Any, Callable, Generator, Mapping, Optional, Sequence, Union

import torch
from torch import Tensor, nn
from torch.optim import Optimizer

from lightning.fabric.utilities.lazy import decorate_on_first_use
from lightning.fabric.utilities.rank_zero import WarningCache, rank_zero_warn
from lightning.pytorch.core.hooks import CheckpointHooks, DataHooks, ModelHooks
from lightning.pytorch import _extensions
from lightning.pytorch.core.mixins.hparams_mixin import HyperparametersMixin
from lightning.pytorch.utilities.exceptions import MisconfigurationException
from lightning.pytorch.utilities.types import (  # noqa: F401 - public at this path in 2.6.6
    STEP_OUTPUT,
    LRSchedulerPLType,
    LRSchedulerTypeUnion,
    OptimizerLRScheduler,
)

log = logging.getLogger("lightning.pytorch")
_warning_cache = WarningCache()
warning_cache = _warning_cache  # public name in 2.6.6
MODULE_OPTIMIZERS = Union[Optimizer, list]  # what `self.optimizers()` returns (LightningOptimizer wrappers)


class LightningModule(_extensions.ModuleAPI, HyperparametersMixin, ModelHooks, DataHooks, CheckpointHooks, nn.Module):
    """Organise a PyTorch model: ``training_step``, ``configure_optimizers`` and optional eval/predict steps."""

    __jit_unused_properties__: list = [
        "example_input_array", "on_gpu", "current_epoch", "global_step", "global_rank", "local_rank", "logger",
        "loggers", "automatic_optimization", "trainer", "fabric", "strict_loading", "device_mesh", "device", "dtype",
    ] + HyperparametersMixin.__jit_unused_properties__
    _jit_is_scripting = False
    # where a checkpoint keeps the hyperparameters (the same keys core.saving writes; public names in 2.6.6)
    CHECKPOINT_HYPER_PARAMS_KEY = "hyper_parameters"
    CHECKPOINT_HYPER_PARAMS_NAME = "hparams_name"
    CHECKPOINT_HYPER_PARAMS_TYPE = "hparams_type"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._trainer: Any = None
        self._example_input_array: Any = None
        self._automatic_optimization: bool = True
        self._strict_loading: Optional[bool] = None
        self._current_fx_name: Optional[str] = None
        self._param_requires_grad_state: dict = {}
        self._metric_attributes: Optional[dict] = None
        self._compiler_ctx: Optional[dict] = None
        self._fabric: Any = None
        self._fabric_optimizers: list = []
        self._device = torch.device("cpu")
        self._dtype = torch.get_default_dtype()

    # ---------------------------------------------------------------- trainer-facing properties
    @property
    def trainer(self) -> Any:
        if self._trainer is None and not self._jit_is_scripting:
            raise RuntimeError(f"{self.__class__.__qualname__} is not attached to a `Trainer`.")
        return self._trainer

    @trainer.setter
    def trainer(self, trainer: Any) -> None:
        for v in self.children():
            if isinstance(v, LightningModule):
                v.trainer = trainer
        self._trainer = trainer

    @property
    def fabric(self) -> Any:
        return self._fabric

    @property
    def device_mesh(self) -> Any:
        """The ``DeviceMesh`` a model-parallel strategy built for ``configure_model`` (None under other strategies)."""
        return getattr(self, "_device_mesh", None)

    @property
    def example_input_array(self) -> Any:
        """An example input (used for the model summary's shapes and ``log_graph``)."""
        return self._example_input_array

    @example_input_array.setter
    def example_input_array(self, example: Any) -> None:
        self._example_input_array = example

    @property
    def current_epoch(self) -> int:
        return self.trainer.current_epoch if self._trainer is not None else 0

    @property
    def global_step(self) -> int:
        return self.trainer.global_step if self._trainer is not None else 0

    @property
    def global_rank(self) -> int:
        return self.trainer.global_rank if self._trainer is not None else 0

    @property
    def local_rank(self) -> int:
        return self.trainer.local_rank if self._trainer is not None else 0

    @property
    def on_gpu(self) -> bool:
        return self.device.type == "cuda"

    @property
    def automatic_optimization(self) -> bool:
        """If False, ``training_step`` steps the optimizers itself (``self.manual_backward``, ``opt.step()``)."""
        return self._automatic_optimization

    @automatic_optimization.setter
    def automatic_optimization(self, value: bool) -> None:
        self._automatic_optimization = value

    @property
    def strict_loading(self) -> bool:
        """Whether checkpoint state dicts must match this module exactly (default True)."""
        return self._strict_loading in (None, True)

    @strict_loading.setter
    def strict_loading(self, value: bool) -> None:
        self._strict_loading = value

    @property
    def logger(self) -> Any:
        return self.trainer.logger if self._trainer is not None else None

    @property
    def loggers(self) -> list:
        return self.trainer.loggers if self._trainer is not None else []

    @property
    def device(self) -> torch.device:
        for t in self.parameters():
            return t.device
        for t in self.buffers():
            return t.device
        return self._device

    @property
    def dtype(self) -> torch.dtype:
        for t in self.parameters():
            if t.is_floating_point():
                return t.dtype
        return self._dtype

    @dtype.setter
    def dtype(self, value: torch.dtype) -> None:
        self._dtype = value

    def to(self, *args: Any, **kwargs: Any) -> "LightningModule":
        device, dtype = torch._C._nn._parse_to(*args, **kwargs)[:2]
        if device is not None:
            self._device = device
        if dtype is not None:
            self._dtype = dtype
        return super().to(*args, **kwargs)

    # ---------------------------------------------------------------- optimizers
    def optimizers(self, use_pl_optimizer: bool = True) -> Any:
        """The optimizer(s) from ``configure_optimizers``: one object if there is one, else a list."""
        if self.fabric is not None:
            opts = self._fabric_optimizers
        elif use_pl_optimizer:
            opts = self.trainer.strategy._lightning_optimizers
        else:
            opts = self.trainer.optimizers
        if isinstance(opts, list) and len(opts) == 1:
            return opts[0]
        return opts

    def lr_schedulers(self) -> Any:
        """The scheduler(s) from ``configure_optimizers``: None, one object, or a list."""
        if not self.trainer.lr_scheduler_configs:
            return None
        schedulers = [config.scheduler for config in self.trainer.lr_scheduler_configs]
        return schedulers[0] if len(schedulers) == 1 else schedulers

    # ---------------------------------------------------------------- logging
    def print(self, *args: Any, **kwargs: Any) -> None:
        """``print`` on global rank zero only."""
        if self._trainer is None or self.trainer.is_global_zero:
            progress_bar = self._trainer.progress_bar_callback if self._trainer is not None else None
            if progress_bar is not None and getattr(progress_bar, "is_enabled", False):
                progress_bar.print(*args, **kwargs)
            else:
                print(*args, **kwargs)

    def log(
        self,
        name: str,
        value: Any,
        prog_bar: bool = False,
        logger: Optional[bool] = None,
        on_step: Optional[bool] = None,
        on_epoch: Optional[bool] = None,
        reduce_fx: Union[str, Callable] = "mean",
        enable_graph: bool = False,
        sync_dist: bool = False,
        sync_dist_group: Optional[Any] = None,
        add_dataloader_idx: bool = True,
        batch_size: Optional[int] = None,
        metric_attribute: Optional[str] = None,
        rank_zero_only: bool = False,
    ) -> None:
        """Log a scalar: to the loggers, the progress bar (``prog_bar``) and ``trainer.callback_metrics``.

        ``on_step`` / ``on_epoch`` default by hook: per step in ``training_step`` and the train batch hooks, per
        epoch (mean over the epoch weighted by ``batch_size``) in validation and test.
        """
        if self._fabric_log(name, value):
            return
        trainer = self._trainer
        if trainer is None:
            _warning_cache.warn(
                "`self.log()` was called but the `self.trainer` reference is not registered (the module is not "
                "attached to a `Trainer`); the value is dropped. Log from inside the hooks that `trainer.fit/validate/"
                "test` call."
            )
            return
        if trainer.barebones:
            _warning_cache.warn(
                "`self.log()` does nothing because `Trainer(barebones=True)` is configured: it turns logging off to "
                "keep the loop lean. Drop `barebones=True` to log."
            )
            return
        results = trainer._results
        if results is None:
            _check_log_outside_loop(trainer, self._current_fx_name)
            raise MisconfigurationException(
                f"`self.log({name!r})` was called outside of a Trainer run ({self._current_fx_name or 'no hook'}); "
                "log from training_step, validation_step, test_step or their hooks."
            )
        fx = self._current_fx_name
        if fx is None:
            raise MisconfigurationException(
                "`self.log()` was called from a method the Trainer did not call; log from a Lightning hook instead."
            )
        if logger and trainer.logger is None:
            rank_zero_warn(
                f"You called `self.log({name!r}, ..., logger=True)` but have no logger configured; pass one with "
                "`Trainer(logger=...)`, or drop `logger=True`."
            )
        results.log(
            fx, name, value, prog_bar=prog_bar, logger=True if logger is None else logger, on_step=on_step,
            on_epoch=on_epoch, reduce_fx=reduce_fx, enable_graph=enable_graph, sync_dist=sync_dist,
            sync_dist_group=sync_dist_group, add_dataloader_idx=add_dataloader_idx, batch_size=batch_size,
            metric_attribute=metric_attribute, rank_zero_only=rank_zero_only, module=self,
        )

    def log_dict(
        self,
        dictionary: Mapping[str, Any],
        prog_bar: bool = False,
        logger: Optional[bool] = None,
        on_step: Optional[bool] = None,
        on_epoch: Optional[bool] = None,
        reduce_fx: Union[str, Callable] = "mean",
        enable_graph: bool = False,
        sync_dist: bool = False,
        sync_dist_group: Optional[Any] = None,
        add_dataloader_idx: bool = True,
        batch_size: Optional[int] = None,
        rank_zero_only: bool = False,
    ) -> None:
        """:meth:`log` every key/value of ``dictionary`` (a mapping or a torchmetrics ``MetricCollection``) with the
        same options."""
        items_kwargs: dict = {}
        if _is_metric_collection(dictionary):
            # the prefixed names; members of a compute group share their state instead of getting a copy of it
            items_kwargs["keep_base"] = False
            if getattr(dictionary, "_enable_compute_groups", False):
                items_kwargs["copy_state"] = False
        elif not isinstance(dictionary, Mapping):
            raise ValueError(
                f"`self.log_dict` expects a mapping of names to values or a torchmetrics `MetricCollection`, got "
                f"{type(dictionary).__name__}"
            )
        for k, v in dictionary.items(**items_kwargs):
            self.log(
                name=k, value=v, prog_bar=prog_bar, logger=logger, on_step=on_step, on_epoch=on_epoch,
                reduce_fx=reduce_fx, enable_graph=enable_graph, sync_dist=sync_dist, sync_dist_group=sync_dist_group,
                add_dataloader_idx=add_dataloader_idx, batch_size=batch_size, rank_zero_only=rank_zero_only,
            )

    def _metric_attribute_of(self, metric: Any, name: str) -> str:
        """The attribute name of a logged torchmetrics object (2.6.6 requires the module to hold it)."""
        for attempt in range(2):
            if self._metric_attributes is None or attempt:  # found once, refreshed once when a metric is missing
                self._metric_attributes = {
                    id(module): attr for attr, module in self.named_modules() if _is_metric_object(module)
                }
            found = self._metric_attributes.get(id(metric))
            if found is not None:
                return found
        raise MisconfigurationException(
            f"`self.log({name!r}, metric)`: Could not find the `LightningModule` attribute for the `torchmetrics.Metric` "
            "logged. Assign the metric to an attribute of the module (e.g. `self.acc = Accuracy(...)`) or pass "
            "`metric_attribute=` naming one of "
            f"{sorted(self._metric_attributes.values())}."
        )

    def _fabric_log(self, name: str, value: Any) -> bool:
        fabric = self.fabric
        if fabric is None:
            return False
        fabric.log(name, value)
        return True

    def all_gather(self, data: Any, group: Optional[Any] = None, sync_grads: bool = False) -> Any:
        """Gather tensors from every process (stacked on a new first dimension); identity on one process."""
        from lightning.fabric.utilities.apply_func import apply_to_collection

        strategy = self.trainer.strategy
        return apply_to_collection(data, Tensor, strategy.all_gather, group=group, sync_grads=sync_grads)

    # ---------------------------------------------------------------- steps
    def forward(self, *args: Any, **kwargs: Any) -> Any:
        return super().forward(*args, **kwargs)

    def training_step(self, *args: Any, **kwargs: Any) -> Any:
        """Compute and return the loss (a tensor, a dict with ``"loss"``, or None to skip the batch)."""
        rank_zero_warn("`training_step` must be implemented to be used with the Lightning Trainer")

    def validation_step(self, *args: Any, **kwargs: Any) -> Any:
        """Evaluate one validation batch; ``self.log`` the metrics."""

    def test_step(self, *args: Any, **kwargs: Any) -> Any:
        """Evaluate one test batch; ``self.log`` the metrics."""

    def predict_step(self, *args: Any, **kwargs: Any) -> Any:
        """Return the prediction for one batch; by default ``self(batch)``."""
        batch = kwargs.get("batch", args[0])
        return self(batch)

    def configure_callbacks(self) -> Union[Sequence[Any], Any]:
        """Callbacks the model brings along; they replace Trainer callbacks of the same type."""
        return []

    def configure_optimizers(self) -> Any:
        """Return the optimizer(s) and optional scheduler(s); see the Lightning docs for every accepted form."""
        rank_zero_warn("`configure_optimizers` must be implemented to be used with the Lightning Trainer")

    # ---------------------------------------------------------------- optimization primitives
    def manual_backward(self, loss: Tensor, *args: Any, **kwargs: Any) -> None:
        """Backward for manual optimization: handles precision scaling; use it instead of ``loss.backward()``."""
        if self._fabric:
            self._fabric.backward(loss, *args, **kwargs)
            return
        trainer = self.trainer
        trainer._verify_manual_optimization("manual_backward")
        trainer.strategy.backward(loss, None, *args, **kwargs)

    def backward(self, loss: Tensor, *args: Any, **kwargs: Any) -> None:
        """How to call backward on ``loss``; override for custom behaviour."""
        if self._fabric:
            self._fabric.backward(loss, *args, **kwargs)
        else:
            loss.backward(*args, **kwargs)

    def toggle_optimizer(self, optimizer: Any) -> None:
        """Freeze every parameter not optimized by ``optimizer`` (and remember their ``requires_grad``)."""
        optimizer = getattr(optimizer, "_optimizer", optimizer)
        own = {id(p) for group in optimizer.param_groups for p in group["params"]}
        state: dict = {}
        for opt in self.trainer.optimizers:
            if opt is optimizer:
                continue
            for group in opt.param_groups:
                for param in group["params"]:
                    if id(param) in own:
                        continue
                    state.setdefault(param, param.requires_grad)
                    param.requires_grad = False
        self._param_requires_grad_state = state

    def untoggle_optimizer(self, optimizer: Any) -> None:
        """Restore the ``requires_grad`` flags that :meth:`toggle_optimizer` changed."""
        for param, requires_grad in self._param_requires_grad_state.items():
            param.requires_grad = requires_grad
        self._param_requires_grad_state = {}

    @contextmanager
    def toggled_optimizer(self, optimizer: Any) -> Generator:
        """Context manager form of :meth:`toggle_optimizer` / :meth:`untoggle_optimizer`."""
        self.toggle_optimizer(optimizer)
        try:
            yield
        finally:
            self.untoggle_optimizer(optimizer)

    def clip_gradients(
        self,
        optimizer: Optimizer,
        gradient_clip_val: Optional[Union[int, float]] = None,
        gradient_clip_algorithm: Optional[str] = None,
    ) -> None:
        """Clip the gradients of ``optimizer``'s parameters by value or by norm (``"norm"`` is the default)."""
        if self.fabric is not None:
            self.fabric.clip_gradients(self, optimizer, clip_val=gradient_clip_val)
            return
        if gradient_clip_algorithm is None:
            gradient_clip_algorithm = self.trainer.gradient_clip_algorithm or "norm"
        if gradient_clip_val is None:
            gradient_clip_val = self.trainer.gradient_clip_val or 0.0
        elif self.trainer.gradient_clip_val is not None and self.trainer.gradient_clip_val != gradient_clip_val:
            raise MisconfigurationException(
                f"Gradient clipping is configured twice: `Trainer(gradient_clip_val={self.trainer.gradient_clip_val!r})`"
                f" and `clip_gradients(gradient_clip_val={gradient_clip_val!r})`; keep only one of them."
            )
        if not isinstance(gradient_clip_val, numbers.Number):
            raise TypeError(f"`gradient_clip_val` should be an int or a float. Got {gradient_clip_val}.")
        algorithm = str(gradient_clip_algorithm).lower()
        if algorithm not in ("norm", "value"):
            raise MisconfigurationException(
                f"`gradient_clip_algorithm` {gradient_clip_algorithm!r} is invalid. Allowed: 'norm', 'value'."
            )
        self.trainer.precision_plugin.clip_gradients(optimizer, gradient_clip_val, algorithm)

    def configure_gradient_clipping(
        self,
        optimizer: Optimizer,
        gradient_clip_val: Optional[Union[int, float]] = None,
        gradient_clip_algorithm: Optional[str] = None,
    ) -> None:
        """Called before each optimizer step; by default clips with the Trainer's ``gradient_clip_*`` settings."""
        self.clip_gradients(optimizer, gradient_clip_val=gradient_clip_val, gradient_clip_algorithm=gradient_clip_algorithm)

    def lr_scheduler_step(self, scheduler: Any, metric: Optional[Any]) -> None:
        """Step ``scheduler`` (with ``metric`` for ReduceLROnPlateau)."""
        if metric is None:
            scheduler.step()
        else:
            scheduler.step(metric)

    def optimizer_step(
        self, epoch: int, batch_idx: int, optimizer: Any, optimizer_closure: Optional[Callable[[], Any]] = None
    ) -> None:
        """Step the optimizer; ``optimizer_closure`` runs training_step, zero_grad and backward and must be called."""
        optimizer.step(closure=optimizer_closure)

    def optimizer_zero_grad(self, epoch: int, batch_idx: int, optimizer: Optimizer) -> None:
        optimizer.zero_grad()

    # ---------------------------------------------------------------- misc
    def freeze(self) -> None:
        """Disable gradients for every parameter and switch to eval mode."""
        for param in self.parameters():
            param.requires_grad = False
        self.eval()

    def unfreeze(self) -> None:
        """Enable gradients for every parameter and switch to train mode."""
        for param in self.parameters():
            param.requires_grad = True
        self.train()

    def to_onnx(self, file_path: Optional[Any] = None, input_sample: Optional[Any] = None, **kwargs: Any) -> Any:
        """Export to ONNX (needs the ``onnx`` package); ``input_sample`` defaults to ``example_input_array``."""
        from lightning.pytorch.core.exporting import to_onnx

        return to_onnx(self, file_path, input_sample, **kwargs)

    def to_torchscript(self, file_path: Optional[Any] = None, method: str = "script", example_inputs: Any = None,
                       **kwargs: Any) -> Any:
        """Compile to TorchScript by scripting or tracing; save to ``file_path`` if given."""
        from lightning.pytorch.core.exporting import to_torchscript

        return to_torchscript(self, file_path, method, example_inputs, **kwargs)

    @decorate_on_first_use("lightning.pytorch.core.saving:_restricted_classmethod")  # (a heavy module)
    def load_from_checkpoint(
        cls,
        checkpoint_path: Any,
        map_location: Any = None,
        hparams_file: Optional[Any] = None,
        strict: Optional[bool] = None,
        weights_only: Optional[bool] = None,
        **kwargs: Any,
    ) -> "LightningModule":
        """Build the model from a checkpoint's hyperparameters (``kwargs`` override them) and load its weights."""
        from lightning.pytorch.core.saving import load_from_checkpoint

        return load_from_checkpoint(cls, checkpoint_path, map_location, hparams_file, strict, weights_only, **kwargs)

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_trainer"] = None
        return state

    def _apply_batch_transfer_handler(self, batch: Any, device: Optional[torch.device] = None,
                                      dataloader_idx: int = 0) -> Any:
        """on_before_batch_transfer -> transfer_batch_to_device -> on_after_batch_transfer (module or datamodule)."""
        device = device or self.device
        trainer = self._trainer
        if trainer is None:
            batch = self.on_before_batch_transfer(batch, dataloader_idx)
            batch = self.transfer_batch_to_device(batch, device, dataloader_idx)
            return self.on_after_batch_transfer(batch, dataloader_idx)
        return trainer._hooks.transfer_batch(batch, device, dataloader_idx)


def _is_metric_object(value: Any) -> bool:
    from lightning.pytorch.trainer.results import _is_metric_object

    return _is_metric_object(value)


def _is_metric_collection(value: Any) -> bool:
    import sys

    torchmetrics = sys.modules.get("torchmetrics")  # a MetricCollection exists only once torchmetrics is imported
    return torchmetrics is not None and isinstance(value, torchmetrics.MetricCollection)


def _check_log_outside_loop(trainer: Any, fx: Optional[str]) -> None:
    """``self.log`` from a hook that runs outside the loops (setup, configure_callbacks ...): 2.6.6 says the hook may
    not log during fit/validate/test, and that predict has no result collection at all."""
    if trainer.state.fn == "predict":
        raise MisconfigurationException(
            f"`self.log()` was called in `{fx}` during `Trainer.predict`, whose loop's result collection is not "
            "registered yet: predict does not support logging."
        )
    if fx is not None:
        from lightning.pytorch.trainer.results import check_loggable

        check_loggable(fx)
