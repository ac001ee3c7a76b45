"""The 1.x argparse helpers (``add_argparse_args`` / ``from_argparse_args`` / ``parse_argparser`` ...), removed in 2.0.

``Trainer.add_argparse_args`` & co. (and the same on ``LightningDataModule``) call into here. The Trainer's arguments
are the 1.9.5 ones (``--gpus`` included, read from ``legacy_facts.TRAINER_ARGPARSE_1_9``) so that 1.x command lines
keep parsing; any other class offers the parameters of its ``__init__`` whose type a command line can give.
"""
import inspect
import os
from argparse import ArgumentParser, Namespace
from typing import Any, Union

from lit_migrate import legacy_facts as facts

_TRUE = ("y", "yes", "t", "true", "on", "1")
_FALSE = ("n", "no", "f", "false", "off", "0")


def str_to_bool(value: str) -> bool:
    """'yes'/'true'/'1'... -> True, 'no'/'false'/'0'... -> False (case-insensitive)."""
    lowered = str(value).lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(f"invalid truth value {value!r}: use one of {_TRUE + _FALSE}")


def str_to_bool_or_str(value: str) -> Union[bool, str]:
    try:
        return str_to_bool(value)
    except ValueError:
        return value


def str_to_bool_or_int(value: str) -> Union[bool, int, str]:
    converted = str_to_bool_or_str(value)
    if isinstance(converted, bool):
        return converted
    try:
        return int(converted)
    except ValueError:
        return converted


def _int_or_float_type(value: Any) -> Union[int, float]:
    return float(value) if "." in str(value) else int(value)


def _gpus_allowed_type(value: str) -> Union[int, str]:
    return str(value) if "," in str(value) else int(value)


def _precision_allowed_type(value: str) -> Union[int, str]:
    try:
        return int(value)
    except ValueError:
        return value


_PARSERS = {
    "bool": str_to_bool, "bool_or_int": str_to_bool_or_int, "bool_or_str": str_to_bool_or_str, "int": int,
    "float": float, "str": str, "int_or_float": _int_or_float_type, "gpus": _gpus_allowed_type,
    "precision": _precision_allowed_type,
}
_ALLOWED_TYPES = (str, int, float, bool)


def _is_trainer(cls: type) -> bool:
    from lightning.pytorch.utilities.model_helpers import imported_class

    trainer = imported_class("lightning.pytorch.trainer.trainer", "Trainer")  # looked up: no arrow into trainer/
    return isinstance(cls, type) and trainer is not None and issubclass(cls, trainer)


def get_init_arguments_and_types(cls: type) -> list:
    """[(name, accepted types, default)] for the ``__init__`` parameters of ``cls``."""
    out = []
    for name, param in inspect.signature(cls.__init__).parameters.items():
        if name in ("self", "args", "kwargs") or param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        annotation = param.annotation
        args = getattr(annotation, "__args__", None)
        types = tuple(args) if args else ((annotation,) if annotation is not inspect.Parameter.empty else (str,))
        default = None if param.default is inspect.Parameter.empty else param.default
        out.append((name, types, default))
    return out


def _arguments(cls: type) -> list:
    """[(name, default, parser kind)] offered on the command line for ``cls``."""
    if _is_trainer(cls):
        return list(facts.TRAINER_ARGPARSE_1_9)
    out = []
    for name, types, default in get_init_arguments_and_types(cls):
        allowed = [t for t in types if t in _ALLOWED_TYPES]
        if not allowed:
            continue
        if bool in allowed:
            kind = "bool_or_int" if int in allowed else ("bool_or_str" if str in allowed else "bool")
        elif int in allowed and float in allowed:
            kind = "int_or_float"
        else:
            kind = {int: "int", float: "float", str: "str"}[allowed[0]]
        out.append((name, default, kind))
    return out


def add_argparse_args(cls: type, parent_parser: ArgumentParser, *, use_argument_group: bool = True) -> ArgumentParser:
    """Add one ``--name`` option per constructor argument of ``cls`` (in a group named after the class)."""
    if isinstance(parent_parser, ArgumentParser) and use_argument_group:
        group = parent_parser.add_argument_group(cls.__name__)
        parser = parent_parser
    else:
        parser = ArgumentParser(parents=[parent_parser], add_help=False)
        group = parser
    for name, default, kind in _arguments(cls):
        extra = {"nargs": "?", "const": True} if kind.startswith("bool") else {}
        group.add_argument(f"--{name}", dest=name, default=default, type=_PARSERS[kind], **extra)
    return parser


def parse_argparser(cls: type, arg_parser: Union[ArgumentParser, Namespace]) -> Namespace:
    """Parse the command line (or take a ready Namespace) for ``cls``."""
    return arg_parser.parse_args() if isinstance(arg_parser, ArgumentParser) else arg_parser


def parse_env_variables(cls: type, template: str = "PL_%(cls_name)s_%(cls_argument)s") -> Namespace:
    """Read ``PL_<CLASS>_<ARGUMENT>`` environment variables as a Namespace (values parsed as Python literals)."""
    import ast

    found = {}
    for name, _default, _kind in _arguments(cls):
        key = template % {"cls_name": cls.__name__.upper(), "cls_argument": name.upper()}
        if key in os.environ:
            raw = os.environ[key]
            try:
                found[name] = ast.literal_eval(raw)
            except (ValueError, SyntaxError):
                found[name] = raw
    return Namespace(**found)


def _trainer_kwargs(args: dict, overrides: dict) -> dict:
    """1.x ``from_argparse_args`` passed every parsed value; keep those the user changed, as 1.x saw them."""
    defaults = {name: default for name, default, _ in facts.TRAINER_ARGPARSE_1_9}
    kwargs = {k: v for k, v in args.items() if k in defaults and not _same(v, defaults[k])}
    kwargs.update(overrides)
    if not facts.DEVICE_SELECTING_ARGS & set(kwargs):
        kwargs.update(facts.DEFAULT_DEVICE_1X)  # a 1.x Trainer with no device flag ran on the CPU
    return kwargs


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def from_argparse_args(cls: type, args: Union[Namespace, ArgumentParser], **kwargs: Any) -> Any:
    """Build ``cls`` from parsed arguments; ``kwargs`` override them."""
    if isinstance(args, ArgumentParser):
        args = parse_argparser(cls, args)
    params = vars(args)
    if _is_trainer(cls):
        return cls(**_trainer_kwargs(params, kwargs))
    valid = inspect.signature(cls.__init__).parameters
    chosen = {name: params[name] for name in valid if name in params}
    chosen.update(kwargs)
    return cls(**chosen)
