"""Turning the many return forms of ``configure_optimizers`` into optimizers + scheduler configs, and the
``LightningOptimizer`` wrapper that ``self.optimizers()`` returns."""
from typing import Any, Callable, Optional

import torch
from torch.optim import Optimizer

from lightning.fabric.utilities.rank_zero import rank_zero_warn
from lightning.pytorch.utilities.exceptions import MisconfigurationException
from lightning.pytorch.utilities.types import LRSchedulerConfig
from lightning.pytorch.utilities.types import LRSchedulerTypeTuple  # noqa: F401 - public at this path in 2.6.6

_SCHEDULER_KEYS = {"scheduler", "name", "interval", "frequency", "monitor", "strict", "reduce_on_plateau"}


def _do_nothing_closure() -> None:
    return None


class LightningOptimizer:
    """Wraps a user optimizer so that ``step()`` goes through the strategy and precision plugin (AMP scaling,
    hooks, step counting in manual optimization). Everything else is the wrapped optimizer's."""

    def __init__(self, optimizer: Optimizer) -> None:
        self._optimizer = optimizer
        self._strategy: Any = None
        # step counters of manual optimization (set by its loop); None when nothing counts
        self._on_before_step: Optional[Callable[[], None]] = None
        self._on_after_step: Optional[Callable[[], None]] = None
        # as 2.6.6: `isinstance(wrapper, type(optimizer))` holds and the repr reads "LightningAdam (...)"
        self.__class__ = _lightning_class(type(optimizer))

    @property
    def optimizer(self) -> Optimizer:
        return self._optimizer

    @classmethod
    def _to_lightning_optimizer(cls, optimizer: Any, strategy: Any) -> "LightningOptimizer":
        lightning_optimizer = optimizer if isinstance(optimizer, LightningOptimizer) else cls(optimizer)
        lightning_optimizer._strategy = strategy
        return lightning_optimizer

    def step(self, closure: Optional[Callable[[], Any]] = None, **kwargs: Any) -> Any:
        """Step through the strategy; ``closure`` (if any) must compute the loss and call backward."""
        if self._on_before_step is not None:
            self._on_before_step()
        if closure is None:
            closure = _do_nothing_closure
        elif not callable(closure):
            raise MisconfigurationException("`optimizer.step(closure)` needs a callable closure.")
        assert self._strategy is not None
        output = self._strategy.optimizer_step(self._optimizer, closure, **kwargs)
        if self._on_after_step is not None:
            self._on_after_step()
        return output

    def zero_grad(self, set_to_none: bool = True) -> None:
        self._optimizer.zero_grad(set_to_none=set_to_none)

    def state_dict(self) -> dict:
        return self._optimizer.state_dict()

    def load_state_dict(self, state_dict: dict) -> None:
        # into the wrapped optimizer (the base class's version would give the wrapper a state of its own)
        self._optimizer.load_state_dict(state_dict)

    def __getattr__(self, name: str) -> Any:
        if name == "_optimizer":  # not set yet (while unpickling): looking it up here would recurse
            raise AttributeError(name)
        return getattr(self._optimizer, name)

    def __reduce__(self) -> tuple:
        # the per-optimizer class is made at run time, so pickle rebuilds it from the wrapped optimizer
        return _rebuild, (self._optimizer,), dict(self.__dict__)

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)


_LIGHTNING_CLASSES: dict = {}


def _lightning_class(optimizer_cls: type) -> type:
    """``LightningOptimizer`` joined with the optimizer's class, made once per optimizer class."""
    cls = _LIGHTNING_CLASSES.get(optimizer_cls)
    if cls is None:
        cls = _LIGHTNING_CLASSES[optimizer_cls] = type(
            f"Lightning{optimizer_cls.__name__}", (LightningOptimizer, optimizer_cls), {"__module__": __name__}
        )
    return cls


def _rebuild(optimizer: Optimizer) -> LightningOptimizer:
    return LightningOptimizer(optimizer)


class _MockOptimizer(Optimizer):
    """Stands in when ``configure_optimizers`` returns None: training runs, nothing is updated."""

    def __init__(self) -> None:
        super().__init__([torch.zeros(1)], {})

    def step(self, closure: Optional[Callable] = None) -> Any:
        if closure is not None:
            return closure()
        return None

    def zero_grad(self, set_to_none: Optional[bool] = True) -> None:
        pass

    def __repr__(self) -> str:
        return "No Optimizer"


def _configure_optimizers(optim_conf: Any) -> tuple:
    """Return (optimizers, lr_scheduler configs as dicts/objects, monitor) from any accepted form."""
    optimizers, lr_schedulers, monitor = [], [], None
    if isinstance(optim_conf, Optimizer):
        optimizers = [optim_conf]
    elif (
        isinstance(optim_conf, (list, tuple))
        and len(optim_conf) == 2
        and isinstance(optim_conf[0], list)
        and all(isinstance(o, Optimizer) for o in optim_conf[0])
    ):
        optimizers = list(optim_conf[0])
        schedulers = optim_conf[1]
        lr_schedulers = schedulers if isinstance(schedulers, (list, tuple)) else [schedulers]
    elif isinstance(optim_conf, dict):
        _validate_optim_dict(optim_conf)
        optimizers = [optim_conf["optimizer"]]
        monitor = optim_conf.get("monitor")
        if "lr_scheduler" in optim_conf:
            lr_schedulers = [optim_conf["lr_scheduler"]]
    elif isinstance(optim_conf, (list, tuple)) and optim_conf and all(isinstance(d, dict) for d in optim_conf):
        for opt_dict in optim_conf:
            _validate_optim_dict(opt_dict)
        optimizers = [d["optimizer"] for d in optim_conf]
        lr_schedulers = [_with_monitor(d["lr_scheduler"], d.get("monitor")) for d in optim_conf if "lr_scheduler" in d]
    elif isinstance(optim_conf, (list, tuple)) and optim_conf and all(isinstance(o, Optimizer) for o in optim_conf):
        optimizers = list(optim_conf)
    else:
        raise MisconfigurationException(
            f"`configure_optimizers` returned {type(optim_conf).__name__} {optim_conf!r:.80}, which is not a known form."
            " Return one of: an optimizer; a list/tuple of optimizers; two lists `([optimizers], [schedulers])`;"
            " a dict with key 'optimizer' and optional 'lr_scheduler' (a scheduler or a dict with 'scheduler') and"
            " 'monitor'; a list of such dicts; or None to train without an optimizer."
        )
    return optimizers, lr_schedulers, monitor


def _with_monitor(scheduler: Any, monitor: Optional[str]) -> Any:
    if monitor is not None and not isinstance(scheduler, dict):
        return {"scheduler": scheduler, "monitor": monitor}
    if isinstance(scheduler, dict) and monitor is not None:
        scheduler.setdefault("monitor", monitor)
    return scheduler


def _validate_optim_dict(d: dict) -> None:
    if "optimizer" not in d:
        raise MisconfigurationException(
            f"The dict returned by `configure_optimizers` has no 'optimizer' key (keys: {sorted(d)})."
        )
    extra = set(d) - {"optimizer", "lr_scheduler", "monitor"}
    if extra:
        rank_zero_warn(
            f"Unsupported keys in the optimizer dict were ignored: {sorted(extra)}."
            " (`frequency` per optimizer was removed in 2.0: use manual optimization.)",
            category=RuntimeWarning,
        )


def _configure_schedulers(schedulers: list, monitor: Optional[str], is_manual: bool) -> list:
    configs = []
    for scheduler in schedulers:
        if isinstance(scheduler, dict):
            if "scheduler" not in scheduler:
                raise MisconfigurationException(
                    'A scheduler dict from `configure_optimizers` needs the key "scheduler" holding the scheduler.'
                )
            extra = set(scheduler) - _SCHEDULER_KEYS
            if extra:
                rank_zero_warn(
                    f"Unsupported keys in the lr scheduler dict were ignored: {sorted(extra)}.", category=RuntimeWarning
                )
            if "interval" in scheduler and scheduler["interval"] not in ("step", "epoch"):
                raise MisconfigurationException(
                    f'The scheduler "interval" must be "step" or "epoch", got {scheduler["interval"]!r}.'
                )
            config = dict(scheduler)
            config["reduce_on_plateau"] = config.get(
                "reduce_on_plateau", isinstance(config["scheduler"], torch.optim.lr_scheduler.ReduceLROnPlateau)
            )
            if config["reduce_on_plateau"] and config.get("monitor") is None and not is_manual:
                raise MisconfigurationException(
                    "A `ReduceLROnPlateau` scheduler needs a metric to monitor: return"
                    ' `{"optimizer": opt, "lr_scheduler": {"scheduler": sch, "monitor": "val_loss"}}` (or put'
                    ' "monitor" next to "optimizer") from `configure_optimizers`.'
                )
            configs.append(LRSchedulerConfig(**config))
        elif isinstance(scheduler, torch.optim.lr_scheduler.ReduceLROnPlateau):
            if monitor is None and not is_manual:
                raise MisconfigurationException(
                    "`configure_optimizers` returned a `ReduceLROnPlateau` scheduler without a metric to monitor:"
                    ' return `{"optimizer": opt, "lr_scheduler": sch, "monitor": "val_loss"}`.'
                )
            configs.append(LRSchedulerConfig(scheduler, reduce_on_plateau=True, monitor=monitor))
        else:
            configs.append(LRSchedulerConfig(scheduler))
    return configs


def _init_optimizers_and_lr_schedulers(model: Any, call_hook: Callable) -> tuple:
    """Call ``configure_optimizers`` through ``call_hook`` and return (optimizers, LRSchedulerConfigs)."""
    optim_conf = call_hook("configure_optimizers")
    if optim_conf is None:
        rank_zero_warn(
            "`configure_optimizers` returned None: the run goes on without an optimizer, so no weight is updated."
        )
        optim_conf = _MockOptimizer()
    optimizers, lr_schedulers, monitor = _configure_optimizers(optim_conf)
    for opt in optimizers:
        if not isinstance(opt, Optimizer):
            raise MisconfigurationException(
                f"`configure_optimizers` returned {type(opt).__name__}, which is not a `torch.optim.Optimizer`."
            )
    _check_multiple_optimizers(model, optimizers)
    configs = _configure_schedulers(lr_schedulers, monitor, not model.automatic_optimization)
    for config in configs:
        if not any(config.scheduler.optimizer is opt for opt in optimizers):
            raise MisconfigurationException(
                "A scheduler returned by `configure_optimizers` wraps an optimizer that was not returned with it;"
                " return the optimizer too."
            )
    return optimizers, configs


def _check_multiple_optimizers(model: Any, optimizers: list) -> None:
    """2.x code steps one optimizer per batch in automatic optimization, and its ``training_step`` takes no
    ``optimizer_idx`` (1.x code keeps both through the legacy layer)."""
    from lightning.pytorch import _extensions
    from lightning.pytorch.utilities.signature_utils import is_param_in_hook_signature

    takes_idx = is_param_in_hook_signature(model.training_step, "optimizer_idx", explicit=True)
    several = model.automatic_optimization and len(optimizers) > 1
    if not (takes_idx or several) or _extensions.allows_multiple_optimizers(model):
        return
    how = ("set `self.automatic_optimization = False` in `__init__`, then in `training_step` get them with "
           "`opt1, opt2 = self.optimizers()` and call `self.manual_backward(loss)`, `opt.step()`, `opt.zero_grad()` "
           "yourself.")
    if takes_idx:
        raise RuntimeError(
            "`training_step` takes `optimizer_idx`, which 2.x no longer passes: training with multiple optimizers is "
            f"only supported with manual optimization. Remove the `optimizer_idx` argument from `training_step`, {how}"
        )
    raise RuntimeError(f"Training with multiple optimizers is only supported with manual optimization: {how}")


do_nothing_closure = _do_nothing_closure  # public name in 2.6.6
