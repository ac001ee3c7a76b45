"""Defaults from environment variables: ``PL_TRAINER_MAX_EPOCHS=3`` acts as ``Trainer(max_epochs=3)`` unless the
argument is given explicitly (``_defaults_from_env_vars`` wraps an ``__init__``)."""
import inspect
import os
from argparse import Namespace
from ast import literal_eval
from contextlib import suppress
from functools import wraps
from typing import Any, Callable, TypeVar, cast

_T = TypeVar("_T", bound=Callable[..., Any])


def _parse_env_variables(cls: type, template: str = "PL_%(cls_name)s_%(cls_argument)s") -> Namespace:
    """The ``cls`` arguments set in the environment, values parsed as Python literals where they parse."""
    found = {}
    for name in inspect.signature(cls).parameters:
        raw = os.environ.get(template % {"cls_name": cls.__name__.upper(), "cls_argument": name.upper()})
        if raw in (None, ""):
            continue
        value: Any = raw
        with suppress(Exception):
            value = literal_eval(raw)
        found[name] = value
    return Namespace(**found)


def _defaults_from_env_vars(fn: _T) -> _T:
    @wraps(fn)
    def insert_env_defaults(self: Any, *args: Any, **kwargs: Any) -> Any:
        cls = type(self)
        if args:
            kwargs.update(zip(inspect.signature(cls).parameters, args))
        return fn(self, **{**vars(_parse_env_variables(cls)), **kwargs})

    return cast(_T, insert_env_defaults)
