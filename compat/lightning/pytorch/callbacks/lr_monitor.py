"""``LearningRateMonitor``: log each optimizer's learning rate (and optionally momentum / weight decay).

Names follow Lightning: ``lr-<OptimizerClass>`` (or the scheduler config's ``name``), ``-<n>`` for the n-th extra
optimizer of the same class, ``/<param group name>`` or ``/pg<i>`` when there are several parameter groups.
"""
from collections import defaultdict
from typing import Any, Dict, List, Literal, Optional, Tuple

import torch
from torch.optim import Optimizer

from lightning.fabric.utilities.exceptions import MisconfigurationException
from lightning.fabric.utilities.rank_zero import rank_zero_warn
from lightning.pytorch.callbacks.callback import Callback


class LearningRateMonitor(Callback):
    """Log the learning rates at every step (``logging_interval="step"``), at each epoch start (``"epoch"``), or
    following each scheduler's own interval (``None``). Optimizers without a scheduler are logged every time.

    Args:
        logging_interval: ``"step"``, ``"epoch"`` or ``None``.
        log_momentum: also log ``<name>-momentum`` (``betas[0]`` for Adam-like optimizers).
        log_weight_decay: also log ``<name>-weight_decay``.
    """

    def __init__(
        self,
        logging_interval: Optional[Literal["step", "epoch"]] = None,
        log_momentum: bool = False,
        log_weight_decay: bool = False,
    ) -> None:
        if logging_interval not in (None, "step", "epoch"):
            raise MisconfigurationException(
                f"logging_interval should be `step` or `epoch` or `None`, got {logging_interval!r}."
            )
        self.logging_interval = logging_interval
        self.log_momentum = log_momentum
        self.log_weight_decay = log_weight_decay
        self.lrs: Dict[str, List[float]] = {}
        self.last_momentum_values: Dict[str, Optional[float]] = {}
        self.last_weight_decay_values: Dict[str, Optional[float]] = {}
        from lightning.pytorch import _extensions

        # 2.x also puts the rates into callback_metrics; 1.9.5 only sent them to the loggers
        self._rates_in_callback_metrics = not _extensions.made_by_1x_code()

    def on_train_start(self, trainer: Any, *args: Any, **kwargs: Any) -> None:
        if not trainer.loggers:
            raise MisconfigurationException(
                "Cannot use `LearningRateMonitor` callback with `Trainer` that has no logger: pass a logger (the "
                "default one is created unless `logger=False`) or remove the callback."
            )
        if self.log_momentum and not all(_has_momentum(opt) for opt, _ in self._named_optimizers(trainer)):
            rank_zero_warn(
                "You have set log_momentum=True, but some optimizers do not have momentum. This will log a value 0 "
                "for the momentum.",
                category=RuntimeWarning,
            )
        names = [name for _, group_names in self._named_optimizers(trainer) for name in group_names]
        self.lrs = {name: [] for name in names}
        self.last_momentum_values = {f"{name}-momentum": None for name in names}
        self.last_weight_decay_values = {f"{name}-weight_decay": None for name in names}

    def on_train_batch_start(self, trainer: Any, *args: Any, **kwargs: Any) -> None:
        if self.logging_interval != "epoch" and _should_update_logs(trainer):
            self._log(trainer, "step" if self.logging_interval is None else "any")

    def on_train_epoch_start(self, trainer: Any, *args: Any, **kwargs: Any) -> None:
        if self.logging_interval != "step":
            self._log(trainer, "epoch" if self.logging_interval is None else "any")

    def _log(self, trainer: Any, interval: str) -> None:
        stats = self._extract_stats(trainer, interval)
        if stats:
            step = trainer.fit_loop.epoch_loop._batches_that_stepped
            for logger in trainer.loggers:
                logger.log_metrics(stats, step=step)

    def _extract_stats(self, trainer: Any, interval: str) -> Dict[str, float]:
        stats: Dict[str, float] = {}
        scheduled = {id(c.scheduler.optimizer): c for c in trainer.lr_scheduler_configs}
        for optimizer, names in self._named_optimizers(trainer):
            config = scheduled.get(id(optimizer))
            if config is not None and interval not in (config.interval, "any"):
                continue
            stats.update(self._optimizer_stats(optimizer, names))
        if self._rates_in_callback_metrics:
            device = trainer.strategy.root_device
            trainer.callback_metrics.update({k: torch.tensor(v, device=device) for k, v in stats.items()})
        return stats

    def _optimizer_stats(self, optimizer: Optimizer, names: List[str]) -> Dict[str, float]:
        stats: Dict[str, float] = {}
        use_betas = "betas" in optimizer.defaults
        for group, name in zip(optimizer.param_groups, names):
            stats[name] = group["lr"]
            self.lrs.setdefault(name, []).append(group["lr"])
            if self.log_momentum:
                momentum = group["betas"][0] if use_betas else group.get("momentum", 0)
                stats[f"{name}-momentum"] = self.last_momentum_values[f"{name}-momentum"] = momentum
            if self.log_weight_decay:
                stats[f"{name}-weight_decay"] = group["weight_decay"]
                self.last_weight_decay_values[f"{name}-weight_decay"] = group["weight_decay"]
        return stats

    def _named_optimizers(self, trainer: Any) -> List[Tuple[Optimizer, List[str]]]:
        """Each optimizer (those with a scheduler first) with the names of its parameter groups."""
        named: List[Tuple[Optimizer, List[str]]] = []
        seen: List[Optimizer] = []
        type_counts: Dict[type, int] = defaultdict(int)
        for config in trainer.lr_scheduler_configs:
            optimizer = config.scheduler.optimizer
            base = config.name if config.name is not None else f"lr-{type(optimizer).__name__}"
            named.append((optimizer, self._group_names(optimizer, base, type_counts, count=config.name is None)))
            seen.append(optimizer)
        for optimizer in trainer.optimizers:
            optimizer = getattr(optimizer, "optimizer", optimizer)  # a LightningOptimizer wrapper
            if any(optimizer is s for s in seen):
                continue
            named.append((optimizer, self._group_names(optimizer, f"lr-{type(optimizer).__name__}", type_counts)))
            seen.append(optimizer)
        return named

    @staticmethod
    def _group_names(optimizer: Optimizer, base: str, type_counts: Dict[type, int], count: bool = True) -> List[str]:
        groups = optimizer.param_groups
        given = [g.get("name", f"pg{i}") for i, g in enumerate(groups, start=1)]
        duplicates = {n for n in given if given.count(n) > 1}
        if duplicates:
            raise MisconfigurationException(
                f"A single `Optimizer` cannot have multiple parameter groups with identical `name` values. {base} has "
                f"duplicated parameter group names {duplicates}"
            )
        if count:
            type_counts[type(optimizer)] += 1
        n = type_counts.get(type(optimizer), 0)
        if n > 1:
            base = f"{base}-{n - 1}"
        if len(groups) > 1:
            return [f"{base}/{name}" for name in given]
        return [f"{base}/{groups[0]['name']}" if groups[0].get("name") else base]


def _has_momentum(optimizer: Optimizer) -> bool:
    return "momentum" in optimizer.defaults or "betas" in optimizer.defaults


def _should_update_logs(trainer: Any) -> bool:
    connector = getattr(trainer, "_logger_connector", None)
    if connector is not None and hasattr(connector, "should_update_logs"):
        return connector.should_update_logs
    step = trainer.fit_loop.epoch_loop._batches_that_stepped + 1
    return step % trainer.log_every_n_steps == 0 or trainer.should_stop
