"""1.x Trainer methods and attributes (``trainer.tune()``, ``num_gpus``, ``root_gpu`` ...), owned by the legacy layer.

``Trainer`` inherits from :class:`LegacyTrainerAPI` (``_extensions.TrainerAPI``); each name here warns with its 2.x
spelling, or raises in strict mode like Lightning 2.x (``AttributeError`` for a removed attribute or method,
``TypeError`` for a removed keyword). The list of names and their advice is ``legacy_facts.TRAINER_ATTRIBUTES`` /
``TRAINER_METHODS_REMOVED`` (section B). The table is imported the first time a 1.x name is used: a removed attribute is
found by ``__getattr__`` (which Python calls only after normal lookup failed) and then installed as a property, so 2.x
code never loads it.
"""
import functools
import os
from typing import Any, Callable, Optional

from lightning.pytorch._legacy.usage import keyword_names, legacy_facts, legacy_usage, strict_mode
from lightning.pytorch.utilities.model_helpers import imported_class

_ENTRY_POINTS = ("fit", "validate", "test", "predict")
_EVAL_LOADER_PROPERTIES = ("val_dataloaders", "test_dataloaders", "predict_dataloaders")


def _attribute_message(fact: Any) -> str:
    when = f" (removed in {fact.removed})" if fact.removed else ""
    return f"`trainer.{fact.name}` is 1.x API{when}: {fact.advice}."


def _warn_attribute(name: str) -> None:
    legacy_usage(_attribute_message(legacy_facts().TRAINER_ATTRIBUTES[name]), error=AttributeError, stacklevel=5)


def _legacy_property(name: str, getter: Callable[[Any], Any]) -> property:
    def get(self: Any) -> Any:
        _warn_attribute(name)
        return getter(self)

    get.__name__ = name
    get.__doc__ = f"1.x: {legacy_facts().TRAINER_ATTRIBUTES[name].advice}."
    return property(get)


def _from_template(name: str) -> Callable[[Any], Any]:
    """The table's mechanical 2.x spelling (e.g. ``{obj}.sanity_checking``), evaluated on the trainer."""
    code = compile(legacy_facts().TRAINER_ATTRIBUTES[name].template.format(obj="trainer"), f"<trainer.{name}>", "eval")
    return lambda trainer: eval(code, {"__builtins__": {}}, {"trainer": trainer})  # noqa: S307 (table data)


def _accelerator_name(trainer: Any) -> str:
    return type(trainer.accelerator).__name__.replace("Accelerator", "").lower()


def _settings(trainer: Any) -> Any:
    return trainer._legacy_settings


def _lr_scheduler_dicts(trainer: Any) -> list:
    return [dict(vars(config)) for config in trainer.lr_scheduler_configs]


def _progress_bar_dict(trainer: Any) -> dict:
    bar = trainer.progress_bar_callback
    if bar is not None and trainer.lightning_module is not None:
        return dict(bar.get_metrics(trainer, trainer.lightning_module))
    return dict(trainer.progress_bar_metrics)


def _slurm_job_id(trainer: Any) -> Optional[int]:
    value = os.environ.get("SLURM_JOB_ID")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _parallel(trainer: Any) -> bool:
    # looked up, not imported (no arrow back into the 2.x stack): a ParallelStrategy exists only once its module
    # is imported
    parallel = imported_class("lightning.pytorch.strategies.parallel", "ParallelStrategy")
    return parallel is not None and isinstance(trainer.strategy, parallel)


class _LegacyTuner:
    """1.x ``trainer.tuner``: the 2.x ``Tuner`` with 1.9.5's ``lr_find`` (``update_attr=False`` by default, and the
    1.9.5 suggestion rule)."""

    def __init__(self, trainer: Any) -> None:
        from lightning.pytorch.tuner import Tuner

        self._tuner = Tuner(trainer)

    def lr_find(self, model: Any, *args: Any, update_attr: bool = False, **kwargs: Any) -> Any:
        from lightning.pytorch.tuner.lr_finder import suggestion_rule_1x

        with suggestion_rule_1x():
            return self._tuner.lr_find(model, *args, update_attr=update_attr, **kwargs)

    def scale_batch_size(self, model: Any, *args: Any, **kwargs: Any) -> Any:
        return self._tuner.scale_batch_size(model, *args, **_trials_1x(kwargs))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._tuner, name)


def _trials_1x(kwargs: dict) -> dict:
    """1.9.5's power mode doubles once more after its last successful trial (2.6.6 returns the last size that
    ran): one more trial gives 1.x's answer."""
    if kwargs.get("mode", "power") == "power":
        kwargs = {**kwargs, "max_trials": kwargs.get("max_trials", 25) + 1}
    return kwargs


def _tuner(trainer: Any) -> Any:
    return _LegacyTuner(trainer)


_GETTERS: dict = {
    "lightning_optimizers": lambda t: dict(enumerate(t.strategy._lightning_optimizers)),
    "progress_bar_dict": _progress_bar_dict,
    "num_gpus": lambda t: t.num_devices if _accelerator_name(t) == "cuda" else 0,
    "gpus": lambda t: (_settings(t).given.get("gpus") if _settings(t) else None),
    "resume_from_checkpoint": lambda t: (_settings(t).fit_ckpt_path if _settings(t) else None) or t.ckpt_path,
    "root_gpu": lambda t: t.strategy.root_device.index if _accelerator_name(t) == "cuda" else None,
    "tpu_cores": lambda t: t.num_devices if _accelerator_name(t) in ("xla", "tpu") else None,
    "ipus": lambda t: 0,
    "num_processes": lambda t: t.num_devices if _accelerator_name(t) == "cpu" else 1,
    "weights_save_path": lambda t: t.default_root_dir,
    "lr_schedulers": _lr_scheduler_dicts,
    "amp_backend": lambda t: "native" if t.precision in ("16-mixed", "bf16-mixed") else None,
    "amp_level": lambda t: None,
    "using_native_amp": lambda t: t.precision in ("16-mixed", "bf16-mixed"),
    "slurm_job_id": _slurm_job_id,
    "verbose_evaluate": lambda t: t.validate_loop.verbose,
    "tuner": _tuner,
    "optimizer_frequencies": lambda t: list(getattr(t, "_legacy_optimizer_frequencies", [])),
    "data_parallel": _parallel,
    "accelerator_connector": lambda t: t._devices,
}


def _accept_legacy_keywords(method: Callable) -> Callable:
    """Wrap ``fit`` / ``validate`` / ``test`` / ``predict``: 1.x keywords (``train_dataloader=``,
    ``test_dataloaders=``, the primer's ``dataloader=``) and ``Trainer(resume_from_checkpoint=)`` for ``fit``."""
    name = method.__name__
    known = keyword_names(method)

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        renames = {} if known.issuperset(kwargs) else legacy_facts().TRAINER_METHOD_KWARG_RENAMES.get(name, {})
        for old in renames.keys() & kwargs.keys():
            new = renames[old]
            message = f"`trainer.{name}({old}=...)` is the 1.x keyword: use `{new}=`."
            if strict_mode():
                legacy_usage(f"{type(self).__name__}.{name}() got an unexpected keyword argument '{old}'. {message}",
                             error=TypeError)
            if new in kwargs:
                raise TypeError(f"`trainer.{name}()` got both `{old}=` (1.x) and `{new}=`; pass only `{new}=`.")
            legacy_usage(message)
            kwargs[new] = kwargs.pop(old)
        settings = self._legacy_settings
        if name == "fit" and settings is not None and settings.fit_ckpt_path is not None and len(args) < 5 \
                and kwargs.get("ckpt_path") is None:
            kwargs["ckpt_path"] = settings.fit_ckpt_path
        return method(self, *args, **kwargs)

    return wrapper


def run_tune(trainer: Any, model: Any, train_dataloaders: Any, val_dataloaders: Any, dataloaders: Any,
             datamodule: Any, scale_batch_size_kwargs: dict, lr_find_kwargs: dict) -> dict:
    """1.x ``trainer.tune()`` on the 2.x ``Tuner``: batch-size scaling first, then the learning-rate finder."""
    settings = trainer._legacy_settings
    scale = settings.auto_scale_batch_size if settings is not None else False
    find_lr = settings.auto_lr_find if settings is not None else False
    result: dict = {}
    if not (scale or find_lr):
        return result
    try:
        from lightning.pytorch.tuner import Tuner
    except ImportError:
        raise RuntimeError(
            "trainer.tune() needs lightning.pytorch.tuner.Tuner, which this installation does not provide yet."
        ) from None
    tuner = Tuner(trainer)
    data = dict(train_dataloaders=train_dataloaders, val_dataloaders=val_dataloaders, dataloaders=dataloaders,
                datamodule=datamodule)
    if scale:
        kwargs = dict(scale_batch_size_kwargs)
        if isinstance(scale, str):
            kwargs.setdefault("mode", scale)
        result["scale_batch_size"] = tuner.scale_batch_size(model, **data, **_trials_1x(kwargs))
    if find_lr:
        kwargs = dict(lr_find_kwargs)
        kwargs.setdefault("update_attr", True)
        if isinstance(find_lr, str):
            kwargs.setdefault("attr_name", find_lr)
        from lightning.pytorch.tuner.lr_finder import suggestion_rule_1x

        with suggestion_rule_1x():
            result["lr_find"] = tuner.lr_find(model, **data, **kwargs)
    return result


def _loader_list_for_legacy(prop: property) -> property:
    """1.x ``trainer.val_dataloaders`` was always a list (``[0]`` on a single loader); 2.x gives the loader itself.
    A Trainer built with 1.x arguments keeps the 1.x shape."""

    def get(self: Any) -> Any:
        loaders = prop.fget(self)
        if self._legacy_settings is not None and loaders is not None and not isinstance(loaders, (list, tuple, dict)):
            return [loaders]
        return loaders

    return property(get, prop.fset, prop.fdel, prop.__doc__)


def _argparse() -> Any:
    from lightning.pytorch._legacy import argparse as helpers

    return helpers


def _removed_classmethod(name: str) -> None:
    legacy_usage(f"`Trainer.{name}` is 1.x API: {legacy_facts().TRAINER_METHODS_REMOVED[name]}.", error=AttributeError,
                 stacklevel=5)


class LegacyTrainerAPI:
    """Mixin of the Trainer holding the removed 1.x API."""

    _legacy_settings = None  # LegacyTrainerSettings when the Trainer was built with 1.x arguments

    def __getattr__(self, name: str) -> Any:
        # B.2 attributes: reached only when normal lookup failed (a name the 2.x Trainer does not have, or a
        # property of it that raised AttributeError, whose own error is re-raised).
        prop = None if name.startswith("_") else _legacy_attribute(name)
        if prop is None:
            if any(name in vars(klass) for klass in type(self).__mro__):
                return object.__getattribute__(self, name)
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return prop.__get__(self, type(self))

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__module__ == "lightning.pytorch.trainer.trainer":  # the Trainer itself, not user subclasses
            for name in _ENTRY_POINTS:
                if name in cls.__dict__:
                    setattr(cls, name, _accept_legacy_keywords(cls.__dict__[name]))
            for name in _EVAL_LOADER_PROPERTIES:
                if isinstance(cls.__dict__.get(name), property):
                    setattr(cls, name, _loader_list_for_legacy(cls.__dict__[name]))

    # ------------------------------------------------------------ B.1 methods
    def tune(self, model: Any, train_dataloaders: Any = None, val_dataloaders: Any = None, dataloaders: Any = None,
             datamodule: Any = None, scale_batch_size_kwargs: Optional[dict] = None,
             lr_find_kwargs: Optional[dict] = None, train_dataloader: Any = None) -> dict:
        """1.x: run the tuners that ``Trainer(auto_scale_batch_size=..., auto_lr_find=...)`` asked for."""
        legacy_usage(f"`trainer.tune()` is 1.x API: {legacy_facts().TRAINER_METHODS_REMOVED['tune']}.",
                     error=AttributeError)
        if train_dataloader is not None:
            train_dataloaders = train_dataloader
        return run_tune(self, model, train_dataloaders, val_dataloaders, dataloaders, datamodule,
                        scale_batch_size_kwargs or {}, lr_find_kwargs or {})

    def get_model(self) -> Any:
        legacy_usage(f"`trainer.get_model()` is 1.x API: {legacy_facts().TRAINER_METHODS_REMOVED['get_model']}.",
                     error=AttributeError)
        return self.lightning_module

    @classmethod
    def add_argparse_args(cls, parent_parser: Any, **kwargs: Any) -> Any:
        _removed_classmethod("add_argparse_args")
        return _argparse().add_argparse_args(cls, parent_parser, **kwargs)

    @classmethod
    def from_argparse_args(cls, args: Any, **kwargs: Any) -> Any:
        _removed_classmethod("from_argparse_args")
        return _argparse().from_argparse_args(cls, args, **kwargs)

    @classmethod
    def parse_argparser(cls, arg_parser: Any) -> Any:
        _removed_classmethod("parse_argparser")
        return _argparse().parse_argparser(cls, arg_parser)

    @classmethod
    def match_env_arguments(cls) -> Any:
        _removed_classmethod("match_env_arguments")
        return _argparse().parse_env_variables(cls)

    @classmethod
    def default_attributes(cls) -> dict:
        _removed_classmethod("default_attributes")
        return {name: default for name, default, _ in legacy_facts().TRAINER_ARGPARSE_1_9}


def _legacy_attribute(name: str) -> Optional[property]:
    """The property for the removed attribute ``name`` (B.2), installed on the mixin at first use; None if ``name``
    is no 1.x Trainer attribute."""
    fact = legacy_facts().TRAINER_ATTRIBUTES.get(name)
    getter = None if fact is None else _GETTERS.get(name) or (_from_template(name) if fact.template else None)
    if getter is None:
        return None
    prop = _legacy_property(name, getter)
    setattr(LegacyTrainerAPI, name, prop)
    return prop
