"""Reading a class's ``__init__`` arguments from the call stack (for ``save_hyperparameters``) and attribute helpers."""
import copy
import inspect
import pickle
import types
from argparse import Namespace
from dataclasses import fields, is_dataclass
from typing import Any, MutableMapping, Optional, Sequence, Union

from torch import nn

from lightning.fabric.utilities.data import AttributeDict  # noqa: F401  (public here too)
from lightning.fabric.utilities.rank_zero import rank_zero_warn
from lightning.pytorch.utilities.model_helpers import imported_class


def is_picklable(obj: object) -> bool:
    """True if ``obj`` survives ``pickle.dumps``."""
    try:
        pickle.dumps(obj)
        return True
    except (pickle.PickleError, AttributeError, RuntimeError, TypeError):
        return False


def clean_namespace(hparams: Union[MutableMapping, Namespace]) -> None:
    """Drop the entries of ``hparams`` (in place) that cannot be pickled, with a warning naming each."""
    hparams_dict = hparams if isinstance(hparams, MutableMapping) else hparams.__dict__
    for k in [k for k, v in hparams_dict.items() if not is_picklable(v)]:
        rank_zero_warn(
            f"Attribute '{k}' removed from hparams because it cannot be pickled (checkpoints could not hold it). "
            f"Leave it out with `self.save_hyperparameters(ignore=['{k}'])` to silence this."
        )
        del hparams_dict[k]


def parse_class_init_keys(cls: type) -> tuple:
    """Names of the ``self``, ``*args`` and ``**kwargs`` parameters of ``cls.__init__`` (None where absent)."""
    init_parameters = inspect.signature(cls.__init__).parameters
    init_params = list(init_parameters.values())
    n_self = init_params[0].name

    def _get_first_if_any(params: list, param_type: Any) -> Optional[str]:
        for p in params:
            if p.kind == param_type:
                return p.name
        return None

    return (
        n_self,
        _get_first_if_any(init_params, inspect.Parameter.VAR_POSITIONAL),
        _get_first_if_any(init_params, inspect.Parameter.VAR_KEYWORD),
    )


def get_init_args(frame: types.FrameType) -> dict:
    """The arguments of the ``__init__`` running in ``frame`` (empty if it is not a class initializer)."""
    _, local_args = _get_init_args(frame)
    return local_args


def _get_init_args(frame: types.FrameType) -> tuple:
    local_vars = frame.f_locals
    if "__class__" not in local_vars:
        return None, {}
    cls = local_vars["__class__"]
    init_parameters = inspect.signature(cls.__init__).parameters
    self_var, args_var, kwargs_var = parse_class_init_keys(cls)
    exclude = {n for n in (self_var, args_var, kwargs_var) if n} | {"__class__", "frame", "frame_args"}
    local_args = {k: local_vars[k] for k in init_parameters if k in local_vars}
    if kwargs_var:
        local_args.update(local_args.get(kwargs_var, {}))
    local_args = {k: v for k, v in local_args.items() if k not in exclude}
    return local_vars.get(self_var), local_args


def collect_init_args(
    frame: types.FrameType, path_args: list, inside: bool = False, classes: tuple = ()
) -> list:
    """Walk up the stack through the chain of ``__init__`` calls and return their arguments, outermost last."""
    if not isinstance(frame.f_back, types.FrameType):
        return path_args
    local_vars = frame.f_locals
    if "__class__" in local_vars and (not classes or issubclass(local_vars["__class__"], classes)):
        _, local_args = _get_init_args(frame)
        path_args.append(local_args)
        return collect_init_args(frame.f_back, path_args, inside=True, classes=classes)
    if not inside:
        return collect_init_args(frame.f_back, path_args, inside, classes=classes)
    return path_args


def save_hyperparameters(
    obj: Any, *args: Any, ignore: Optional[Union[Sequence[str], str]] = None, frame: Optional[types.FrameType] = None,
    given_hparams: Optional[dict] = None,
) -> None:
    """Store the init arguments of ``obj`` (or the subset / object given in ``args``) as ``obj.hparams``."""
    # looked up, not imported: the mixin (core) calls this function, and its frames exist only once it is imported
    mixin = imported_class("lightning.pytorch.core.mixins.hparams_mixin", "HyperparametersMixin")
    if len(args) == 1 and not isinstance(args[0], str) and not args[0]:
        return  # an empty container: nothing to save
    if given_hparams is not None:
        init_args = given_hparams
    elif is_dataclass(obj):  # fields with init=False are not constructor arguments
        init_args = {f.name: getattr(obj, f.name) for f in fields(obj) if f.init}
    else:
        init_args = {}
        if frame is not None and mixin is not None:
            for local_args in collect_init_args(frame, [], classes=(mixin,)):
                init_args.update(local_args)

    if ignore is None:
        ignore = []
    elif isinstance(ignore, str):
        ignore = [ignore]
    else:
        ignore = [arg for arg in ignore if isinstance(arg, str)]
    init_args = {k: v for k, v in init_args.items() if k not in set(ignore)}

    if not args:
        hp = init_args
        obj._hparams_name = "kwargs" if hp else None
    else:
        non_str = [a for a in args if not isinstance(a, str)]
        if len(non_str) == 1:
            hp = non_str[0]
            names = [k for k, v in init_args.items() if _same_value(v, hp)]
            obj._hparams_name = names[0] if names else None
        else:
            missing = [a for a in args if isinstance(a, str) and a not in init_args]
            if missing:
                raise KeyError(  # a KeyError as in 2.6.6
                    f"save_hyperparameters got names that are not arguments of `__init__`: {missing}. "
                    f"Available: {sorted(init_args)}"
                )
            hp = {a: init_args[a] for a in args if isinstance(a, str)}
            obj._hparams_name = "kwargs"

    obj._set_hparams(hp)
    obj.remove_ignored_hparams(ignore)  # also what a base class's call saved
    for k, v in obj._hparams.items():
        if isinstance(v, nn.Module):
            rank_zero_warn(
                f"Attribute {k!r} is an instance of `nn.Module` and is already saved with the checkpoint's weights "
                f"(state_dict). Leave it out with `self.save_hyperparameters(ignore=[{k!r}])`."
            )
    obj._hparams_initial = copy.deepcopy(obj._hparams)


def _same_value(value: Any, target: Any) -> bool:
    """Whether an init argument is the object passed to ``save_hyperparameters`` (equal counts, as in 2.6.6)."""
    if value is target:
        return True
    try:
        return bool(value == target)
    except Exception:  # e.g. a tensor compared with a dict
        return False


def _lightning_targets(model: Any, attribute: str) -> list:
    trainer = getattr(model, "_trainer", None)
    holders = [model]
    if isinstance(getattr(model, "hparams", None), MutableMapping):
        holders.append(model.hparams)
    datamodule = getattr(trainer, "datamodule", None) if trainer is not None else None
    if datamodule is not None:
        holders.append(datamodule)
    found = []
    for holder in holders:
        if isinstance(holder, MutableMapping):
            if attribute in holder:
                found.append(holder)
        elif hasattr(holder, attribute):
            found.append(holder)
    return found


def lightning_hasattr(model: Any, attribute: str) -> bool:
    """True if ``attribute`` is on the model, in ``model.hparams`` or on the trainer's datamodule."""
    return bool(_lightning_targets(model, attribute))


def lightning_getattr(model: Any, attribute: str) -> Any:
    """Read ``attribute`` from the model, its ``hparams`` or the trainer's datamodule, in that order."""
    holders = _lightning_targets(model, attribute)
    if not holders:
        raise AttributeError(
            f"{attribute} is neither stored in the model namespace nor the `hparams` namespace/dict, nor the datamodule."
        )
    holder = holders[-1] if getattr(getattr(model, "_trainer", None), "datamodule", None) in holders else holders[0]
    return holder[attribute] if isinstance(holder, MutableMapping) else getattr(holder, attribute)


def lightning_setattr(model: Any, attribute: str, value: Any) -> None:
    """Set ``attribute`` everywhere :func:`lightning_getattr` would find it."""
    holders = _lightning_targets(model, attribute)
    if not holders:
        raise AttributeError(
            f"{attribute} is neither stored in the model namespace nor the `hparams` namespace/dict, nor the datamodule."
        )
    for holder in holders:
        if isinstance(holder, MutableMapping):
            holder[attribute] = value
        else:
            setattr(holder, attribute, value)


