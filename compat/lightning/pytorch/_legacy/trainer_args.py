"""Translation of 1.x ``Trainer(...)`` arguments (``gpus=``, ``resume_from_checkpoint=`` ...) onto the 2.x ones.

The Trainer's ``__init__`` is wrapped with :func:`accepts_legacy_arguments` (``_extensions.trainer_arguments``), which
keeps the 2.x signature visible to ``inspect`` (LightningCLI reads it). The facts (what maps to what) come from the one
table, ``lit_migrate.legacy_facts`` (migration-table section A); this module only applies them while the program runs,
plus what only a running program can do (the tuner flags, ``track_grad_norm``, ``resume_from_checkpoint``).

A call that uses no 1.x spelling goes straight to ``__init__``, deciding that without the table; the translation
itself lives in ``trainer_translation``, imported for 1.x calls only. Otherwise every legacy argument warns once with a
``DeprecationWarning`` naming its 2.x spelling; ``LIGHTNING_COMPAT_STRICT=1`` gives the error Lightning 2.x raises.
"""
import functools
import inspect
from typing import Any, Callable

from lightning.pytorch._legacy.usage import legacy_facts, legacy_usage, strict_mode


def _trainer_params(init: Callable) -> frozenset:
    return frozenset(p for p in inspect.signature(init).parameters if p != "self")


def _precision_maybe_legacy(value: Any) -> bool:
    from lightning.fabric.connector import _PRECISIONS

    return not (isinstance(value, str) and value in _PRECISIONS)


def _strategy_maybe_legacy(value: Any) -> bool:
    from lightning.pytorch.strategies.registry import strategy_factories

    return isinstance(value, str) and value not in ("auto", "single_device") and value not in strategy_factories()


def _accelerator_maybe_legacy(value: Any) -> bool:
    from lightning.pytorch.accelerators.registry import AcceleratorRegistry

    return isinstance(value, str) and value not in ("auto", "gpu", "tpu") and value not in AcceleratorRegistry


# The 2.x keywords whose *value* can be a 1.x one (``precision=16``, ``max_steps=None``, ``strategy="dp"``): a cheap
# test per keyword that never says no where ``legacy_facts.trainer_arg_is_legacy`` / ``device_group_is_legacy`` say
# yes (tests/startup checks it against the table). A call that passes them all is 2.x and never loads the table.
_VALUE_MAY_BE_LEGACY: dict = {
    "accelerator": _accelerator_maybe_legacy,
    "strategy": _strategy_maybe_legacy,
    "precision": lambda v: v is not None and _precision_maybe_legacy(v),
    "plugins": lambda v: isinstance(v, str),
    "max_steps": lambda v: v is None,
    "accumulate_grad_batches": lambda v: v is None or isinstance(v, dict),
    "profiler": lambda v: isinstance(v, bool),
}


# 1.x wrote "not given" as None for these (its own defaults); 2.x rejects None. Only 1.x code means it that way.
_NONE_WAS_DEFAULT = ("accelerator", "devices", "strategy")


def _none_written_by_1x_code(kwargs: dict) -> bool:
    if not any(name in kwargs and kwargs[name] is None for name in _NONE_WAS_DEFAULT):
        return False
    from lightning.pytorch._legacy.usage import made_by_1x_code  # the caller decides

    return made_by_1x_code()


def _is_legacy_call(kwargs: dict, params: frozenset) -> bool:
    if any(name not in params for name in kwargs):
        return True
    if _none_written_by_1x_code(kwargs):
        return True
    if not any(name in _VALUE_MAY_BE_LEGACY and _VALUE_MAY_BE_LEGACY[name](value) for name, value in kwargs.items()):
        return False
    facts = legacy_facts()
    if facts.device_group_is_legacy({k: v for k, v in kwargs.items() if k in facts.DEVICE_GROUP}):
        return True
    return any(facts.trainer_arg_is_legacy(name, value) for name, value in kwargs.items())


def _call_removed_init_hooks(callbacks: Any, name: str, trainer: Any) -> None:
    """``Callback.on_init_start/end(trainer)`` (removed in 1.8) ran around ``Trainer.__init__`` in 1.x."""
    for callback in callbacks if isinstance(callbacks, (list, tuple)) else [callbacks] if callbacks else []:
        hook = getattr(callback, name, None)
        if callable(hook):
            legacy_usage(f"Callback.{name} was removed in 1.8 and 2.x never calls it: move the code to setup() or "
                         f"on_fit_start() ({type(callback).__name__}).", error=NotImplementedError)
            hook(trainer)


def accepts_legacy_arguments(init: Callable) -> Callable:
    """Wrap ``Trainer.__init__``: 1.x arguments are translated (or, in strict mode, raise as in 2.x)."""
    params = _trainer_params(init)

    @functools.wraps(init)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> None:
        if not args and not _is_legacy_call(kwargs, params):
            _call_removed_init_hooks(kwargs.get("callbacks"), "on_init_start", self)
            init(self, **kwargs)
            _call_removed_init_hooks(kwargs.get("callbacks"), "on_init_end", self)
            return
        from lightning.pytorch._legacy import trainer_translation as translation

        if strict_mode():
            unknown = next((name for name in kwargs if name not in params), None)
            if unknown is not None:
                fact = legacy_facts().TRAINER_ARGS.get(unknown)
                advice = f" {fact.message()}." if fact else ""
                legacy_usage(str(translation.unknown_argument_error(unknown, params)) + advice, error=TypeError)
            init(self, *args, **kwargs)  # 2.x takes a legacy *value* (precision=16, ...) or raises its own error
            return
        if args:
            kwargs = translation.keywordize(args, dict(kwargs))
        new_kwargs, settings = translation.translate(kwargs, params)
        _call_removed_init_hooks(new_kwargs.get("callbacks"), "on_init_start", self)
        init(self, **new_kwargs)
        self._legacy_settings = settings
        _call_removed_init_hooks(new_kwargs.get("callbacks"), "on_init_end", self)

    return wrapper


def accepts_legacy_constructor_arguments(cls_name: str) -> Callable:
    """Decorator for the ``__init__`` of a callback / logger / profiler whose 1.x keywords are in table E
    (``ModelCheckpoint(filepath=, period=, prefix=, mode="auto")``, ``EarlyStopping(mode="auto")`` ...). The 2.x
    signature stays visible; each legacy keyword warns once, and strict mode raises what 2.x raises."""

    def decorate(init: Callable) -> Callable:
        params = _trainer_params(init)

        @functools.wraps(init)
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> None:
            if not kwargs:
                return init(self, *args)
            from lightning.pytorch._legacy.trainer_translation import translate_constructor_kwargs

            return init(self, *args, **translate_constructor_kwargs(cls_name, params, kwargs))

        return wrapper

    return decorate
