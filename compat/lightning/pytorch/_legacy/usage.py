"""One place where 1.x usage that we still accept is reported: a DeprecationWarning, or an error in strict mode.

``LIGHTNING_COMPAT_STRICT=1`` turns every accepted legacy use into the error real Lightning 2.x raises, so a user can
prove a migration is complete.
"""
import functools
import os
import re
import sys
import warnings
from types import ModuleType
from typing import Any, Callable, Iterable, Optional, Type

_VAR_KEYWORDS = 0x08  # inspect.CO_VARKEYWORDS, without importing inspect


def strict_mode() -> bool:
    return os.environ.get("LIGHTNING_COMPAT_STRICT", "0").lower() not in ("", "0", "false", "no")


NAMESPACES = ("lightning", "pytorch_lightning")


def namespace_in_scope(values: Iterable[Any]) -> Optional[str]:
    """Which namespace a scope's values (a module's globals, a frame's locals) show: ``"pytorch_lightning"`` when any
    is a module of that package (1.x code, even beside ``lightning``), else ``"lightning"`` when any is one of
    ``lightning``'s, else None."""
    roots = {getattr(value, "__name__", "").partition(".")[0] for value in values if isinstance(value, ModuleType)}
    return next((root for root in ("pytorch_lightning", "lightning") if root in roots), None)


_IMPORT_LINE = re.compile(r"^[ \t]*(?:from|import)[ \t]+(pytorch_lightning|lightning)\b", re.MULTILINE)


@functools.lru_cache(maxsize=None)
def source_namespaces(filename: str) -> frozenset:
    """The namespaces a source file has import lines for, for code that binds only classes
    (``from pytorch_lightning.callbacks import ModelCheckpoint``); read once per file and process."""
    try:
        with open(filename, encoding="utf-8", errors="replace") as f:
            return frozenset(_IMPORT_LINE.findall(f.read()))
    except OSError:
        return frozenset()


def made_by_1x_code() -> bool:
    """Whether the code calling our constructor is 1.x code (docs/legacy.md), for objects whose 1.x behaviour differs
    (ModelCheckpoint's file rules, LearningRateMonitor, CSVLogger, None device arguments).

    One class serves both namespaces, so the caller tells: the nearest frame outside our packages (the user's
    function, or their subclass's ``__init__``) is looked at, its local names first, then its module's globals; the
    first that shows a namespace decides (:func:`namespace_in_scope`), and with none in sight the caller's source
    file's import lines do. ``LIGHTNING_COMPAT_STRICT=1`` means "behave like real 2.x": never 1.x.
    """
    if strict_mode():
        return False
    frame = sys._getframe(2)
    while frame is not None and frame.f_globals.get("__name__", "").partition(".")[0] in NAMESPACES:
        frame = frame.f_back
    if frame is None:
        return False
    for scope in (frame.f_locals, frame.f_globals):
        namespace = namespace_in_scope(list(scope.values()))
        if namespace is not None:
            return namespace == "pytorch_lightning"
    filename = frame.f_globals.get("__file__")
    return bool(filename) and "pytorch_lightning" in source_namespaces(filename)


def legacy_facts():
    """The migration table (``lit_migrate.legacy_facts``), imported when a 1.x spelling is actually met: code that
    uses only 2.x names never loads it."""
    from lit_migrate import legacy_facts as facts

    return facts


def keyword_names(fn: Callable) -> frozenset:
    """The parameter names ``fn`` accepts as keywords: a call with any other keyword may be a 1.x one, so only
    such calls need the migration table."""
    code = fn.__code__
    if code.co_flags & _VAR_KEYWORDS:
        raise TypeError(f"{fn.__qualname__} takes **kwargs: every keyword is known to it, none can be told apart")
    return frozenset(code.co_varnames[code.co_posonlyargcount:code.co_argcount + code.co_kwonlyargcount])


class LegacyUsageWarning(DeprecationWarning):
    """1.x usage that this project translates for you; the message names the 2.x spelling."""


_seen: set = set()


def legacy_usage(message: str, error: Type[Exception] = TypeError, once: bool = True, stacklevel: int = 4) -> None:
    """Report a legacy use: raise ``error`` in strict mode, else warn (once per message) and carry on."""
    if strict_mode():
        raise error(message + " (LIGHTNING_COMPAT_STRICT=1 makes this an error.)")
    if once:
        if message in _seen:
            return
        _seen.add(message)
    warnings.warn(
        message + " Run `lit-migrate <path>` to rewrite such code for Lightning 2.x.", LegacyUsageWarning,
        stacklevel=stacklevel,
    )
