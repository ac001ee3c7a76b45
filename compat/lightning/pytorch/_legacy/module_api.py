"""1.x LightningModule / LightningDataModule methods and attributes that 2.x removed, owned by the legacy layer.

``LightningModule`` inherits from :class:`LegacyModuleAPI` and ``LightningDataModule`` from :class:`LegacyDataModuleAPI`
(``_extensions.ModuleAPI`` / ``DataModuleAPI``); each name warns with its 2.x spelling, or raises in strict mode like
Lightning 2.x. ``self.log(sync_dist_op=...)`` and ``toggle_optimizer(opt, optimizer_idx)`` are accepted by wrapping the
2.x methods (their ``inspect.signature`` stays the 2.x one). The facts come from ``legacy_facts`` (sections C.3 and
C.4), imported only when a 1.x name is actually used so that 2.x code never pays for the table.
"""
import functools
from typing import Any, Callable

from lightning.pytorch._legacy.usage import keyword_names, legacy_facts, legacy_usage, strict_mode

# The methods whose 1.x keywords are accepted (``legacy_facts.LOG_METHODS``; tests check the two agree).
_LOG_METHODS = ("log", "log_dict")


def _accept_legacy_log_keywords(method: Callable) -> Callable:
    """``self.log(..., sync_dist_op=op)`` -> ``reduce_fx=op``; ``tbptt_reduce_fx`` / ``tbptt_pad_token`` dropped."""
    known = keyword_names(method)

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        if kwargs and not known.issuperset(kwargs):  # only a keyword 2.x does not know can be a 1.x one
            _translate_log_kwargs(method.__name__, kwargs)
        return method(self, *args, **kwargs)

    return wrapper


def _translate_log_kwargs(name: str, kwargs: dict) -> None:
    facts = legacy_facts()
    for old in kwargs.keys() & facts.LOG_KWARG_RENAMES.keys():
        new = facts.LOG_KWARG_RENAMES[old]
        message = f"`self.{name}({old}=...)` is the 1.x keyword (removed in 1.6): use `{new}=`."
        if strict_mode():
            legacy_usage(f"LightningModule.{name}() got an unexpected keyword argument '{old}'. {message}",
                         error=TypeError)
        if new in kwargs:
            raise TypeError(f"`self.{name}()` got both `{old}=` (1.x) and `{new}=`; pass only `{new}=`.")
        legacy_usage(message, stacklevel=5)
        kwargs[new] = kwargs.pop(old)
    for old in kwargs.keys() & facts.LOG_KWARGS_REMOVED.keys():
        message = f"`self.{name}({old}=...)` was {facts.LOG_KWARGS_REMOVED[old]}: drop it."
        if strict_mode():
            legacy_usage(f"LightningModule.{name}() got an unexpected keyword argument '{old}'. {message}",
                         error=TypeError)
        legacy_usage(message, stacklevel=5)
        kwargs.pop(old)


def _accept_optimizer_index(method: Callable) -> Callable:
    """1.x ``toggle_optimizer(optimizer, optimizer_idx)`` / ``untoggle_optimizer(optimizer_idx)``: 2.x takes the
    optimizer object only."""

    @functools.wraps(method)
    def wrapper(self: Any, optimizer: Any, *legacy: Any) -> Any:
        if isinstance(optimizer, int) or legacy:
            legacy_usage(f"`self.{method.__name__}(..., optimizer_idx)` is the 1.x signature: pass only the optimizer "
                         "object (e.g. `self.optimizers()[0]`).", error=TypeError)
            if isinstance(optimizer, int):
                optimizer = self.trainer.optimizers[optimizer]
        return method(self, optimizer)

    return wrapper


def _module_attribute(name: str, getter: Callable[[Any], Any]) -> property:
    """A removed attribute that still reads (with a warning); assigning it stores a plain value, as 1.x allowed."""
    slot = f"_legacy_{name}"

    def get(self: Any) -> Any:
        if slot in self.__dict__:
            return self.__dict__[slot]
        fact = legacy_facts().MODULE_ATTRIBUTES[name]
        legacy_usage(f"`self.{name}` is 1.x API (removed in {fact.removed}): {fact.advice}.", error=AttributeError,
                     stacklevel=5)
        return getter(self)

    def set_(self: Any, value: Any) -> None:
        self.__dict__[slot] = value

    return property(get, set_, doc="1.x attribute, removed in 2.x: reading it warns with its 2.x spelling.")


class LegacyModuleAPI:
    """Mixin of LightningModule holding the removed 1.x API."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__module__ == "lightning.pytorch.core.module":  # LightningModule itself, not user subclasses
            for name in _LOG_METHODS:
                if name in cls.__dict__:
                    setattr(cls, name, _accept_legacy_log_keywords(cls.__dict__[name]))
            for name in ("toggle_optimizer", "untoggle_optimizer"):
                if name in cls.__dict__:
                    setattr(cls, name, _accept_optimizer_index(cls.__dict__[name]))

    @property
    def hparams(self) -> Any:
        from lightning.pytorch.core.mixins.hparams_mixin import HyperparametersMixin

        return HyperparametersMixin.hparams.fget(self)

    @hparams.setter
    def hparams(self, value: Any) -> None:
        """1.x ``self.hparams = args`` (removed in 1.3): saved as with ``self.save_hyperparameters(args)``."""
        legacy_usage("`self.hparams = ...` is the 1.x way to store hyperparameters (removed in 1.3): call "
                     "`self.save_hyperparameters(hparams)` instead.", error=AttributeError)
        self.save_hyperparameters(value, frame=None)

    datamodule = _module_attribute("datamodule", lambda self: self.trainer.datamodule)
    use_amp = _module_attribute("use_amp", lambda self: self.trainer.precision in ("16-mixed", "bf16-mixed"))

    def summarize(self, mode: str = "top", max_depth: Any = None) -> Any:
        """1.x ``self.summarize(mode)``: the model summary (``"top"`` is depth 1, ``"full"`` all levels)."""
        legacy_usage("`self.summarize()` is 1.x API (removed in 1.7): use `summarize(self, max_depth=...)` from "
                     "lightning.pytorch.utilities.model_summary.", error=AttributeError)
        from lightning.pytorch.utilities.model_summary import summarize

        depth = max_depth if max_depth is not None else {"top": 1, "full": -1}.get(mode)
        if depth is None:
            raise ValueError(f"summarize(mode={mode!r}): 1.x accepted 'top' or 'full'.")
        return summarize(self, max_depth=depth)

    def grad_norm(self, norm_type: Any) -> dict:
        """1.x ``self.grad_norm(norm_type)``: gradient norms per parameter and in total."""
        legacy_usage("`self.grad_norm(norm_type)` is 1.x API (removed in 1.5): use `grad_norm(self, norm_type)` from "
                     "lightning.pytorch.utilities.", error=AttributeError)
        from lightning.pytorch.utilities.grads import grad_norm

        return grad_norm(self, norm_type)


_DATAMODULE_INIT_ARGS = ("train_transforms", "val_transforms", "test_transforms", "dims")


def _accept_legacy_datamodule_args(init: Callable) -> Callable:
    """1.x ``LightningDataModule.__init__(train_transforms=, val_transforms=, test_transforms=, dims=)`` (removed in
    1.7): stored as plain attributes, as 1.x did."""

    @functools.wraps(init)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> None:
        legacy = {k: kwargs.pop(k) for k in _DATAMODULE_INIT_ARGS if k in kwargs}
        legacy.update(zip(_DATAMODULE_INIT_ARGS, args))
        if legacy:
            names = ", ".join(legacy)
            message = (f"`LightningDataModule.__init__({names}=...)` is 1.x API (removed in 1.7): store them as your "
                       "own attributes.")
            if strict_mode():
                legacy_usage(f"LightningDataModule.__init__() got an unexpected keyword argument "
                             f"'{next(iter(legacy))}'. {message}", error=TypeError)
            legacy_usage(message)
        init(self)
        for name in _DATAMODULE_INIT_ARGS:
            if name in legacy:
                self.__dict__[name] = legacy[name]

    return wrapper


class LegacyDataModuleAPI:
    """Mixin of LightningDataModule holding the removed 1.x API (argparse helpers, transforms and dims, section C.4)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__module__ == "lightning.pytorch.core.datamodule" and "__init__" in cls.__dict__:
            cls.__init__ = _accept_legacy_datamodule_args(cls.__dict__["__init__"])

    def size(self, dim: Any = None) -> Any:
        """1.x ``dm.size(dim)``: the ``dims`` given to ``__init__`` (or one of them)."""
        legacy_usage("`LightningDataModule.size()` is 1.x API (removed in 1.7): keep the dims as your own attribute.",
                     error=AttributeError)
        dims = self.__dict__.get("dims")
        if dim is None:
            return dims
        return dims[dim] if dims is not None else None

    @classmethod
    def add_argparse_args(cls, parent_parser: Any, **kwargs: Any) -> Any:
        _removed_datamodule_helper(cls, "add_argparse_args")
        return _argparse().add_argparse_args(cls, parent_parser, **kwargs)

    @classmethod
    def from_argparse_args(cls, args: Any, **kwargs: Any) -> Any:
        _removed_datamodule_helper(cls, "from_argparse_args")
        return _argparse().from_argparse_args(cls, args, **kwargs)

    @classmethod
    def parse_argparser(cls, arg_parser: Any) -> Any:
        _removed_datamodule_helper(cls, "parse_argparser")
        return _argparse().parse_argparser(cls, arg_parser)

    @classmethod
    def get_init_arguments_and_types(cls) -> list:
        _removed_datamodule_helper(cls, "get_init_arguments_and_types")
        return _argparse().get_init_arguments_and_types(cls)


def _removed_datamodule_helper(cls: type, name: str) -> None:
    legacy_usage(f"`LightningDataModule.{name}` is 1.x API (removed in 2.0): use LightningCLI, or argparse "
                 f"directly ({cls.__name__}).", error=AttributeError, stacklevel=5)


def _argparse() -> Any:
    from lightning.pytorch._legacy import argparse as helpers

    return helpers
