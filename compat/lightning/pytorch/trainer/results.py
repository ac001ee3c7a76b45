"""What ``self.log`` stores: one entry per (hook, name), its options, its last step value and its epoch aggregate.

Values stay tensors (no ``.item()`` per step); the epoch value is reduced once, when asked for. The option checks
of a (hook, name, options) combination run once and are cached, so a ``self.log`` per step costs a few dict lookups
and one in-place add.
"""
from typing import Any, Callable, Optional, Union

import torch
from torch import Tensor

from lightning.fabric.utilities.rank_zero import WarningCache
from lightning.pytorch.utilities.exceptions import MisconfigurationException

_warning_cache = WarningCache()

# hook -> (allowed on_step, allowed on_epoch, default on_step, default on_epoch); None: logging not allowed there
_STEP = ((False, True), (False, True), True, False)
_EVAL_STEP = ((False, True), (False, True), False, True)
_EPOCH = ((False,), (True,), False, True)  # start/end hooks of a run or an epoch: one value per epoch
_FX_OPTIONS: dict = {
    **{fx: _STEP for fx in (
        "training_step", "on_train_batch_start", "on_train_batch_end", "on_before_backward", "backward",
        "on_after_backward", "on_before_optimizer_step", "optimizer_step", "configure_gradient_clipping", "clip_gradients", "on_before_zero_grad", "optimizer_zero_grad",
        "manual_backward",
    )},
    **{fx: _EVAL_STEP for fx in (
        "validation_step", "test_step", "on_validation_batch_start", "on_validation_batch_end",
        "on_test_batch_start", "on_test_batch_end",
    )},
    **{fx: _EPOCH for fx in (
        "on_train_start", "on_validation_start", "on_test_start", "on_train_epoch_start", "on_validation_epoch_start",
        "on_test_epoch_start", "on_train_epoch_end", "on_validation_epoch_end", "on_test_epoch_end",
    )},
}

_REDUCE_FX = {"mean": "mean", "avg": "mean", "sum": "sum", "max": "max", "min": "min"}
_TORCH_REDUCE = {torch.mean: "mean", torch.sum: "sum", torch.max: "max", torch.min: "min", sum: "sum", max: "max",
                 min: "min"}


def check_loggable(fx: str) -> Any:
    """The logging options of hook ``fx`` ("unknown" for a hook not in the table); raises for a hook that may not
    log."""
    options = _FX_OPTIONS.get(fx, "unknown")
    if options is None or options == "unknown" and fx in _NO_LOGGING:
        raise MisconfigurationException(f"You can't `self.log()` inside `{fx}`: log from a step or epoch hook.")
    return options


def _no_reduction(tensor: Tensor, group: Any, op: str) -> Tensor:
    return tensor


def _resolve_reduce_fx(reduce_fx: Union[str, Callable]) -> str:
    if isinstance(reduce_fx, str):
        key = _REDUCE_FX.get(reduce_fx.lower())
    else:
        key = _TORCH_REDUCE.get(reduce_fx)
    if key is None:
        raise MisconfigurationException(
            f"`self.log(..., reduce_fx={reduce_fx!r})` is not supported: use 'mean', 'sum', 'max' or 'min' "
            "(or log a torchmetrics `Metric` for a custom reduction)."
        )
    return key


def _warn_not_floating(name: str) -> None:
    _warning_cache.warn(
        f"`self.log({name!r}, ...)`: the value needs to be floating to be reduced; it is converted to "
        f"{_reduction_dtype()}. Log a float to silence this, or send values that are not to be reduced (a step or "
        f"epoch number) with `self.logger.log_metrics` instead."
    )


def _distributed_is_initialized() -> bool:
    return torch.distributed.is_available() and torch.distributed.is_initialized()


def _reduction_dtype() -> torch.dtype:
    """The default dtype, but at least float32: logged values are stored and reduced in it."""
    dtype = torch.get_default_dtype()
    return dtype if dtype in (torch.float32, torch.float64) else torch.float32


def _is_metric_object(value: Any) -> bool:
    # torchmetrics.Metric without importing torchmetrics
    return hasattr(value, "compute") and hasattr(value, "_forward_cache") and hasattr(value, "reset")


def _metric_tensor(name: str, value: Any, step: bool) -> Any:
    """A logged metric object's result (``forward`` for the step value, ``compute`` for the epoch): a tensor or None."""
    if value is not None and not isinstance(value, Tensor):
        source = "forward()` (the step value)" if step else "compute()`"
        raise ValueError(
            f"The `.compute()` return of the metric logged as {name!r} must be a tensor: its `.{source} gave a "
            f"{type(value).__name__} ({value!r:.60}). Log each tensor it returns under its own name."
        )
    return value


class LoggedMetric:
    """One logged name in one hook: its options and running values."""

    __slots__ = (
        "fx", "name", "suffix", "on_step", "on_epoch", "prog_bar", "logger", "reduce", "enable_graph", "sync_dist",
        "sync_dist_group", "dataloader_idx", "rank_zero_only", "metric_object", "last", "total", "count",
        "computed", "has_step_value", "forked", "options", "reduced",
    )

    def __init__(self, fx: str, name: str, suffix: str, on_step: bool, on_epoch: bool, prog_bar: bool, logger: bool,
                 reduce: str, enable_graph: bool, sync_dist: bool, sync_dist_group: Any,
                 dataloader_idx: Optional[int], rank_zero_only: bool) -> None:
        # `suffix`: "/dataloader_idx_N" when the name carries the dataloader, appended after the _step/_epoch fork
        self.fx, self.name, self.suffix = fx, name + suffix, suffix
        self.options = (on_step, on_epoch, prog_bar, logger, reduce, enable_graph, sync_dist, dataloader_idx)
        self.on_step, self.on_epoch, self.prog_bar, self.logger = on_step, on_epoch, prog_bar, logger
        self.reduce, self.enable_graph = reduce, enable_graph
        self.sync_dist, self.sync_dist_group, self.rank_zero_only = sync_dist, sync_dist_group, rank_zero_only
        # rank_zero_only: logged by one process only, so never reduced (the others would not join the collective)
        self.reduced = sync_dist and not rank_zero_only
        self.dataloader_idx = dataloader_idx
        self.forked = on_step and on_epoch
        self.metric_object: Any = None
        self.reset()

    def reset(self) -> None:
        self.last: Optional[Tensor] = None
        self.total: Optional[Tensor] = None
        self.count: Union[Tensor, float] = 0.0
        self.computed: Optional[Tensor] = None
        self.has_step_value = False
        if self.metric_object is not None:
            self.metric_object.reset()

    def update(self, value: Tensor, batch_size: int, reduce_across: Callable[[Tensor, Any, str], Tensor]) -> None:
        if self.reduced and self.on_step:
            # synced now, once per logged value, as 2.6.6 does (not when the dictionaries are read: every process
            # must take part). On a copy: the collective works in place, and `value` may be logged under other names
            self.last = reduce_across(value.clone(), self.sync_dist_group, self.reduce)
        else:
            self.last = value
        self.has_step_value = True
        if not self.on_epoch:
            return
        self.computed = None
        if self.reduce == "mean":
            weighted = value * batch_size
            self.total = weighted.clone() if self.total is None else self.total.add_(weighted)
            self.count += batch_size
        elif self.total is None:
            self.total = value.clone().float() if not value.is_floating_point() else value.clone()
        elif self.reduce == "sum":
            self.total.add_(value)
        elif self.reduce == "max":
            self.total = torch.maximum(self.total, value)
        else:
            self.total = torch.minimum(self.total, value)

    def epoch_value(self, reduce_across: Callable[[Tensor, Any, str], Tensor]) -> Optional[Tensor]:
        if self.computed is not None:
            return self.computed
        if self.metric_object is not None:
            self.computed = _metric_tensor(self.name, self.metric_object.compute(), step=False)
            return self.computed
        if self.total is None:
            return None
        if not self.sync_dist and _distributed_is_initialized():
            from lightning.fabric.utilities.warnings import PossibleUserWarning

            _warning_cache.warn(
                f"It is recommended to use `self.log({self.name!r}, ..., sync_dist=True)` when logging on epoch level "
                "in distributed setting: without it each process keeps the mean of its own share of the data.",
                category=PossibleUserWarning,
            )
        if self.reduce == "mean":
            total, count = self.total, self.count
            if self.reduced:
                total = reduce_across(total.clone(), self.sync_dist_group, "sum")
                count = reduce_across(torch.as_tensor(count, device=total.device, dtype=total.dtype),
                                      self.sync_dist_group, "sum")
            value = total / count
        else:
            value = reduce_across(self.total.clone(), self.sync_dist_group, self.reduce) if self.reduced else self.total
        self.computed = value
        return value

    def step_value(self) -> Optional[Tensor]:
        return self.last

    def key(self, on_step: bool) -> str:
        if not self.forked:
            return self.name
        base = self.name[:len(self.name) - len(self.suffix)]
        return f"{base}_step{self.suffix}" if on_step else f"{base}_epoch{self.suffix}"


class ResultCollection:
    """All ``self.log`` entries of one stage (train or one evaluation run)."""

    def __init__(self, training: bool) -> None:
        self.training = training
        self.entries: dict = {}
        self._meta_cache: dict = {}
        self.batch: Any = None  # the current batch, for inferring batch sizes
        self.batch_size: Optional[int] = None
        self.dataloader_idx: Optional[int] = None
        self.device: torch.device = torch.device("cpu")
        self.reduce_across: Callable[[Tensor, Any, str], Tensor] = _no_reduction  # a function: picklable (ddp_spawn)

    def reset(self) -> None:
        for entry in self.entries.values():
            entry.reset()

    def clear(self) -> None:
        self.reset()  # a torchmetrics object left mid-epoch by an interrupted run starts empty
        self.entries.clear()
        self._meta_cache.clear()

    def _current_batch_size(self) -> int:
        if self.batch_size is None:
            from lightning.pytorch.utilities.data import extract_batch_size

            try:
                self.batch_size = extract_batch_size(self.batch) if self.batch is not None else 1
            except (RecursionError, ValueError, TypeError):
                self.batch_size = 1
        return self.batch_size

    def log(self, fx: str, name: str, value: Any, prog_bar: bool = False, logger: bool = True,
            on_step: Optional[bool] = None, on_epoch: Optional[bool] = None, reduce_fx: Any = "mean",
            enable_graph: bool = False, sync_dist: bool = False, sync_dist_group: Any = None,
            add_dataloader_idx: bool = True, batch_size: Optional[int] = None, metric_attribute: Any = None,
            rank_zero_only: bool = False, module: Any = None) -> None:
        # the entry belongs to the running dataloader even when its name does not say which (add_dataloader_idx=False)
        dataloader_idx = self.dataloader_idx
        cache_key = (fx, name, prog_bar, logger, on_step, on_epoch, reduce_fx if isinstance(reduce_fx, str) else
                     id(reduce_fx), enable_graph, sync_dist, dataloader_idx, add_dataloader_idx, rank_zero_only)
        key = self._meta_cache.get(cache_key)
        if key is None:
            key = self._register(cache_key, fx, name, prog_bar, logger, on_step, on_epoch, reduce_fx, enable_graph,
                                 sync_dist, sync_dist_group, dataloader_idx, add_dataloader_idx, rank_zero_only)
        entry = self.entries[key]
        if not isinstance(value, Tensor) and _is_metric_object(value):
            if metric_attribute is None and module is not None and entry.metric_object is not value:
                module._metric_attribute_of(value, name)  # raises when the module does not hold the metric
            entry.metric_object = value
            # the step value is this batch's forward result, taken now
            entry.last = _metric_tensor(name, value._forward_cache, step=True) if entry.on_step else None
            entry.has_step_value = True
            entry.computed = None
            return
        # stored without graph whatever `enable_graph` says, as 2.6.6 does (its stored values never carry one)
        value = self._to_tensor(name, value).detach()
        if batch_size is None:
            batch_size = self._current_batch_size() if (entry.on_epoch and entry.reduce == "mean") else 1
        entry.update(value, batch_size, self.reduce_across)

    def _register(self, cache_key: tuple, fx: str, name: str, prog_bar: bool, logger: bool, on_step: Optional[bool],
                  on_epoch: Optional[bool], reduce_fx: Any, enable_graph: bool, sync_dist: bool,
                  sync_dist_group: Any, dataloader_idx: Optional[int], add_dataloader_idx: bool,
                  rank_zero_only: bool) -> str:
        if not isinstance(name, str):
            raise MisconfigurationException(f"`self.log` needs a string name, got {type(name).__name__}: {name!r}")
        if add_dataloader_idx and "/dataloader_idx_" in name:
            raise MisconfigurationException(
                f"`self.log({name!r})`: the name should not contain `/dataloader_idx_`, the Trainer appends it itself "
                "with several dataloaders; pass `add_dataloader_idx=False` to name them yourself."
            )
        options = check_loggable(fx)
        if options == "unknown":
            options = _STEP if self.training else _EVAL_STEP
        allowed_step, allowed_epoch, default_step, default_epoch = options
        on_step = default_step if on_step is None else on_step
        on_epoch = default_epoch if on_epoch is None else on_epoch
        if on_step not in allowed_step:
            raise MisconfigurationException(
                f"`self.log({name!r}, on_step={on_step})` is not allowed in `{fx}`: allowed on_step values are "
                f"{allowed_step}."
            )
        if on_epoch not in allowed_epoch:
            raise MisconfigurationException(
                f"`self.log({name!r}, on_epoch={on_epoch})` is not allowed in `{fx}`: allowed on_epoch values are "
                f"{allowed_epoch}."
            )
        if not on_step and not on_epoch:
            raise MisconfigurationException(
                f"`self.log({name!r}, on_step=False, on_epoch=False)` is not useful: the value would be kept nowhere. "
                "Set one of them to True."
            )
        reduce = _resolve_reduce_fx(reduce_fx)
        suffix = f"/dataloader_idx_{dataloader_idx}" if add_dataloader_idx and dataloader_idx is not None else ""
        key = f"{fx}.{name}{suffix}"
        entry = LoggedMetric(fx, name, suffix, on_step, on_epoch, prog_bar, logger, reduce, enable_graph, sync_dist,
                             sync_dist_group, dataloader_idx, rank_zero_only)
        existing = self.entries.get(key)
        if existing is None:
            self.entries[key] = entry
        elif existing.options != entry.options:
            # also the same name logged from two dataloaders with add_dataloader_idx=False
            raise MisconfigurationException(
                f"`self.log({name!r}, ...)` was called twice in `{fx}` with different arguments (or from different "
                "dataloaders without `add_dataloader_idx`); log each name with the same options, or give it a "
                "distinct name."
            )
        self._meta_cache[cache_key] = key
        return key

    def _to_tensor(self, name: str, value: Any) -> Tensor:
        if isinstance(value, Tensor):
            if value.numel() != 1:
                raise ValueError(
                    f"`self.log({name!r}, value)` needs a single-element tensor, got shape {tuple(value.shape)}. "
                    f"Reduce it first, e.g. `self.log({name!r}, value.mean())`."
                )
            if value.dtype not in (torch.float32, torch.float64):  # ints, half, bfloat16: reduced in float32+
                if not value.is_floating_point():
                    _warn_not_floating(name)
                value = value.to(_reduction_dtype())
            return value if value.ndim == 0 else value.squeeze()
        if not isinstance(value, (int, float)):  # python numbers (bool included) become floats without a warning
            if isinstance(value, dict):
                raise ValueError(
                    f"`self.log({name!r}, <dict>)`: dict values cannot be logged; use `self.log_dict` instead."
                )
            try:
                import numpy as np

                if isinstance(value, np.generic) and value.size == 1:
                    return torch.tensor(value.item(), device=self.device, dtype=_reduction_dtype())
            except ImportError:
                pass
            raise ValueError(
                f"`self.log({name!r}, {value!r:.40})`: the value must be a number, a one-element tensor or a "
                f"torchmetrics Metric, not {type(value).__name__}."
            )
        return torch.tensor(value, device=self.device, dtype=_reduction_dtype())

    def metrics(self, on_step: bool) -> tuple:
        """Return (log, progress bar, callback) dicts of tensor values for the step or the epoch."""
        log, pbar, callback = {}, {}, {}
        for entry in self.entries.values():
            if entry.dataloader_idx != self.dataloader_idx:
                continue
            if on_step:
                if not (entry.on_step and entry.has_step_value):
                    continue
                value = entry.step_value()
            else:
                if not entry.on_epoch or not entry.has_step_value:
                    continue
                value = entry.epoch_value(self.reduce_across)
            if value is None:
                continue
            if not entry.enable_graph and isinstance(value, Tensor):
                value = value.detach()  # a metric object's compute() may carry a graph
            forked_name = entry.key(on_step)
            if entry.logger:
                log[forked_name] = value
            if self.training or (entry.on_epoch and not on_step):
                callback[entry.name] = value
                callback[forked_name] = value
            if entry.prog_bar:
                pbar[forked_name] = value
        return log, pbar, callback


_NO_LOGGING = {
    "setup", "teardown", "prepare_data", "configure_model", "configure_sharded_model", "configure_optimizers",
    "configure_callbacks", "on_fit_start", "on_fit_end", "on_sanity_check_start", "on_sanity_check_end",
    "on_train_end", "on_validation_end", "on_test_end", "on_predict_start", "on_predict_end",
    "on_predict_epoch_start", "on_predict_epoch_end", "on_predict_batch_start", "on_predict_batch_end",
    "predict_step", "on_before_batch_transfer", "transfer_batch_to_device", "on_after_batch_transfer",
    "on_save_checkpoint", "on_load_checkpoint", "state_dict", "load_state_dict", "on_exception",
    "train_dataloader", "val_dataloader", "test_dataloader", "predict_dataloader", "on_validation_model_eval",
    "on_validation_model_train", "on_test_model_eval", "on_test_model_train", "on_predict_model_eval",
    "on_validation_model_zero_grad", "lr_scheduler_step",
}
