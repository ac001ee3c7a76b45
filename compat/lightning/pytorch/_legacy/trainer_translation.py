"""The translation half of the 1.x ``Trainer(...)`` / callback-constructor support: what a call that *does* use a 1.x
spelling needs (``translate``, the settings a running Trainer keeps, table E of the constructors). ``trainer_args``
imports it only for such calls, so 2.x code never loads it or the migration table.
"""
import importlib
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from lightning.pytorch.utilities.exceptions import MisconfigurationException
from lightning.pytorch._legacy.usage import legacy_facts, legacy_usage, strict_mode


@dataclass
class LegacyTrainerSettings:
    """What a legacy ``Trainer(...)`` call asked for that is not a 2.x constructor argument."""

    fit_ckpt_path: Optional[str] = None  # resume_from_checkpoint
    auto_lr_find: Any = False  # True or the attribute name, for trainer.tune()
    auto_scale_batch_size: Any = False  # True / "power" / "binsearch", for trainer.tune()
    track_grad_norm: Any = -1  # the norm type to log, -1 for off
    prepare_data_per_node: Optional[bool] = None  # set on the module/datamodule at run time
    automatic_optimization: Optional[bool] = None  # the 1.0 Trainer flag, set on the module at run time
    move_metrics_to_cpu: bool = False  # the 1.x epoch-end outputs are kept on the CPU
    multiple_trainloader_mode: Optional[str] = None  # how several training loaders are combined (1.x: min_size)
    given: dict = field(default_factory=dict)  # every legacy argument as passed (for trainer.default_attributes)


# Legacy arguments the table leaves to a human (`NeedsReview`) that a running Trainer can honour itself:
# name -> (field of LegacyTrainerSettings, value to store) or None for "accepted and dropped".
def _store(name: str) -> Callable[[Any], tuple]:
    return lambda value: (name, value)


_RUNTIME_HANDLED: dict = {
    "auto_lr_find": _store("auto_lr_find"),
    "auto_scale_batch_size": lambda v: ("auto_scale_batch_size", "power" if v is True else v),
    "track_grad_norm": lambda v: ("track_grad_norm", float(v) if v == "inf" else v),
    "prepare_data_per_node": _store("prepare_data_per_node"),
    "automatic_optimization": _store("automatic_optimization"),
    "move_metrics_to_cpu": lambda v: ("move_metrics_to_cpu", bool(v)),
    "multiple_trainloader_mode": lambda v: ("multiple_trainloader_mode", _trainloader_mode(v)),
    "flush_logs_every_n_steps": lambda v: None,  # a logger setting in 2.x; the default loggers flush on their own
    "log_save_interval": lambda v: None,
}


def _trainloader_mode(value: Any) -> str:
    if value not in ("max_size_cycle", "min_size"):
        raise MisconfigurationException(f"Trainer(multiple_trainloader_mode={value!r}) is not a valid mode: 1.x "
                                        "accepted 'max_size_cycle' or 'min_size'.")
    return value


def _check_amp_level(kwargs: dict) -> None:
    """1.9.5 refused ``amp_level`` unless ``amp_backend='apex'`` (which 2.x removed, and which has its own error)."""
    level = kwargs.get("amp_level")
    if level is not None and kwargs.get("amp_backend") != "apex":
        raise MisconfigurationException(
            f"Trainer(amp_level={level!r}): `amp_level` is only supported with `amp_backend='apex'` (as in 1.9.5), "
            "and apex was removed in 2.0. Drop `amp_level`; for native mixed precision use precision='16-mixed'.")


def _drop_none_defaults(kwargs: dict) -> dict:
    """1.x code that writes its defaults out (``accelerator=None``, ``devices=None``, ``strategy=None``) meant "not
    given"; 2.x rejects None there."""
    from lightning.pytorch._legacy.trainer_args import _NONE_WAS_DEFAULT

    dropped = [name for name in _NONE_WAS_DEFAULT if name in kwargs and kwargs[name] is None]
    if dropped:
        legacy_usage(f"Trainer({', '.join(f'{name}=None' for name in dropped)}) is the 1.x way of leaving them "
                     "unset: 2.x rejects None there; leave them out (their 2.x default is 'auto').")
    return {k: v for k, v in kwargs.items() if k not in dropped}


def unknown_argument_error(name: str, params: frozenset) -> TypeError:
    import difflib

    close = difflib.get_close_matches(name, sorted(params | set(legacy_facts().TRAINER_ARGS)), n=1)
    hint = f" Did you mean `{close[0]}`?" if close else ""
    return TypeError(f"Trainer.__init__() got an unexpected keyword argument '{name}'.{hint}")


def _build_callback(spec: Any) -> Any:
    """Instantiate a ``legacy_facts.ObjectSpec``."""
    try:
        cls = getattr(importlib.import_module(spec.module), spec.name)
    except (ImportError, AttributeError):
        raise MisconfigurationException(
            f"The 1.x Trainer argument maps to the callback `{spec.qualname}`, which this installation does not "
            "provide; drop the argument."
        ) from None
    return cls(*spec.args, **dict(spec.kwargs))


def _device_message(legacy: dict, mapped: dict) -> str:
    old = ", ".join(f"{k}={v!r}" for k, v in legacy.items())
    new = ", ".join(f"{k}={v!r}" for k, v in mapped.items()) or "(nothing: drop them)"
    return f"Trainer({old}) is the 1.x way to choose devices: use Trainer({new})."


def _check_contradictions(kwargs: dict) -> None:
    """1.x silently let `gpus` win over `devices`; two answers to one question are an error here."""
    device_flags = [k for k in ("gpus", "tpu_cores", "num_processes", "ipus") if kwargs.get(k) not in (None, 0, "0", [])]
    if len(device_flags) > 1 and not (set(device_flags) == {"gpus", "num_processes"}):
        raise ValueError(
            f"Trainer({', '.join(f'{k}={kwargs[k]!r}' for k in device_flags)}) asks for two kinds of devices; keep one "
            "(in 2.x: accelerator=..., devices=...)."
        )
    if device_flags and kwargs.get("devices") not in (None, "auto"):
        flag = device_flags[0]
        raise ValueError(
            f"Trainer({flag}={kwargs[flag]!r}, devices={kwargs['devices']!r}) gives the device count twice (the 1.x "
            f"`{flag}` and the 2.x `devices`). Keep only `devices=` together with `accelerator=`."
        )


def _check_accelerator_available(mapped: dict, kwargs: dict) -> None:
    """A 1.x device flag that asks for hardware this machine lacks: say so in 1.x terms."""
    accelerator = mapped.get("accelerator")
    if accelerator == "cuda":
        import torch

        if not torch.cuda.is_available():
            raise MisconfigurationException(
                f"Trainer(gpus={kwargs.get('gpus')!r}) asks for CUDA GPUs, but this machine has none available "
                "(torch.cuda.is_available() is False). Use gpus=0 (or accelerator='cpu') to train on the CPU."
            )
    elif accelerator == "tpu":
        from lightning.pytorch.accelerators.registry import AcceleratorRegistry

        if "tpu" not in AcceleratorRegistry or not AcceleratorRegistry["tpu"].is_available():
            raise MisconfigurationException(
                f"Trainer(tpu_cores={kwargs.get('tpu_cores')!r}) asks for TPU cores, but no TPU (XLA) is available "
                "on this machine. Drop tpu_cores to train on the CPU."
            )


def _spelled(name: str, kwargs: dict, facts: Any) -> str:
    """The arguments a problem is about, as the user wrote them: a device-group problem (reported under the group's
    first legacy key, or none) names every device argument given, e.g. ``strategy='dp'``."""
    if not name or name in facts.DEVICE_GROUP:
        return ", ".join(f"{k}={v!r}" for k, v in kwargs.items() if k in facts.DEVICE_GROUP)
    return f"{name}={kwargs.get(name)!r}"


class _InvalidStrategy(MisconfigurationException, ValueError):
    """A removed strategy name (``'dp'``): 2.6.6's ValueError, and this layer's MisconfigurationException."""


def translate(kwargs: dict, params: frozenset) -> tuple:
    """Map a 1.x call onto (2.x Trainer kwargs, settings, callbacks to call around __init__). Warns per argument."""
    facts = legacy_facts()
    for name in kwargs:
        if name not in params and name not in facts.TRAINER_ARGS:
            raise unknown_argument_error(name, params)
    _check_amp_level(kwargs)
    kwargs = _drop_none_defaults(kwargs)
    _check_contradictions(kwargs)
    result = facts.translate_trainer_kwargs(kwargs, add_default_device=True)
    settings = LegacyTrainerSettings(given={k: v for k, v in kwargs.items() if k not in params})
    new_kwargs = dict(result.trainer_kwargs)

    for names, error in result.problems.items():
        for name in names.split(","):
            handler = _RUNTIME_HANDLED.get(name)
            if handler is None:
                message = f"Trainer({_spelled(name, kwargs, facts)}) has no 2.x equivalent: {error.advice}"
                if name in ("", "strategy") and isinstance(kwargs.get("strategy"), str):
                    # a removed strategy name ('dp'): 2.6.6 raises a ValueError for a name it does not know
                    spelled = f"`strategy={kwargs['strategy']!r}`"
                    raise _InvalidStrategy(f"You selected an invalid strategy name: {spelled}. {message}")
                raise MisconfigurationException(message)
            new_kwargs.pop(name, None)
            stored = handler(kwargs[name])
            if stored is not None:
                setattr(settings, *stored)
            legacy_usage(facts.TRAINER_ARGS[name].message() + ".")

    group = {k: v for k, v in kwargs.items() if k in facts.DEVICE_GROUP}
    legacy_group = {k: v for k, v in group.items() if k in facts.LEGACY_DEVICE_ARGS or (
        k in ("accelerator", "strategy") and new_kwargs.get(k) != v)}
    if legacy_group:
        mapped = {k: new_kwargs[k] for k in ("accelerator", "devices", "strategy") if k in new_kwargs}
        _check_accelerator_available(mapped, kwargs)
        legacy_usage(_device_message(legacy_group, mapped))
    handled = {n for names in result.problems for n in names.split(",")}
    for name, value in kwargs.items():
        if name in facts.DEVICE_GROUP or name in handled:
            continue
        if name not in params:
            legacy_usage(facts.TRAINER_ARGS[name].message() + ".")
        elif facts.trainer_arg_is_legacy(name, value):
            legacy_usage(f"Trainer({name}={value!r}) is the 1.x spelling: use {name}={new_kwargs.get(name)!r}.")
    for caveat in result.caveats:
        legacy_usage(f"1.x Trainer argument: {caveat}.")

    if result.fit_kwargs.get("ckpt_path") is not None:
        settings.fit_ckpt_path = result.fit_kwargs["ckpt_path"]
    if result.callbacks:
        callbacks = new_kwargs.get("callbacks")
        callbacks = list(callbacks) if isinstance(callbacks, (list, tuple)) else ([callbacks] if callbacks else [])
        new_kwargs["callbacks"] = callbacks + [_build_callback(spec) for spec in result.callbacks]
    return new_kwargs, settings


def keywordize(args: tuple, kwargs: dict) -> dict:
    names = legacy_facts().positional_trainer_names(len(args))
    legacy_usage(f"Trainer() takes keyword arguments only in 2.x; the positional arguments were read in the 1.x "
                 f"order as {', '.join(names)}=...")
    for name, value in zip(names, args):
        if name in kwargs:
            raise TypeError(f"Trainer() got multiple values for argument '{name}'")
        kwargs[name] = value
    return kwargs


def _ctor_value(cls_name: str, name: str, value: Any, call: dict) -> dict:
    """The 2.x keywords for one legacy constructor keyword (``legacy_facts.CTOR_ARGS``)."""
    facts = legacy_facts()
    fact = facts.CTOR_ARGS[(cls_name, name)]
    if fact.rename_to is not None:
        return {fact.rename_to: value}
    try:
        return fact.mapper(value, call)
    except facts.NeedsReview:
        if (cls_name, name) == ("ModelCheckpoint", "filepath") and isinstance(value, str):
            import os  # a running program can answer what the codemod cannot: is it an existing directory?

            return {"dirpath": value} if os.path.isdir(value) else {
                "dirpath": os.path.dirname(value) or None, "filename": os.path.basename(value) or None}
        raise


def _ctor_is_legacy(cls_name: str, name: str, value: Any, params: frozenset, call: dict) -> bool:
    facts = legacy_facts()
    if (cls_name, name) not in facts.CTOR_ARGS:
        return False
    if name not in params:
        return True
    try:
        return _ctor_value(cls_name, name, value, call) != {name: value}
    except facts.LegacyFactError:
        return True


def translate_constructor_kwargs(cls_name: str, params: frozenset, kwargs: dict) -> dict:
    """The 2.x keywords for a constructor call (table E): each 1.x keyword mapped with a warning; in strict mode the
    error 2.x raises for an unknown one, else the call unchanged."""
    legacy = [k for k, v in kwargs.items() if _ctor_is_legacy(cls_name, k, v, params, kwargs)]
    if not legacy:
        return kwargs
    facts = legacy_facts()
    if strict_mode():
        unknown = next((k for k in legacy if k not in params), None)
        if unknown is not None:
            legacy_usage(f"{cls_name}.__init__() got an unexpected keyword argument '{unknown}'. "
                         f"{facts.CTOR_ARGS[(cls_name, unknown)].advice}.", error=TypeError)
        return kwargs
    new = {k: v for k, v in kwargs.items() if k not in legacy}
    for name in legacy:
        fact = facts.CTOR_ARGS[(cls_name, name)]
        try:
            mapped = _ctor_value(cls_name, name, kwargs[name], kwargs)
        except facts.LegacyFactError as err:
            raise ValueError(f"{cls_name}({name}={kwargs[name]!r}): {err.advice}") from None
        for key, value in mapped.items():
            if key in new and new[key] != value and key != name:
                raise ValueError(f"{cls_name}({name}=..., {key}=...) give {key} twice (the 1.x `{name}` "
                                 f"means `{key}={value!r}`); keep one.")
            new[key] = value
        removed = f" (removed in {fact.removed})" if fact.removed else ""
        legacy_usage(f"{cls_name}({name}=...) is 1.x{removed}: {fact.advice} "
                     f"(here: {', '.join(f'{k}={v!r}' for k, v in mapped.items()) or 'dropped'}).")
    return new
