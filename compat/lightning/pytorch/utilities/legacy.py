"""One place where 1.x usage that we still accept is reported: a DeprecationWarning, or an error in strict mode.

``LIGHTNING_COMPAT_STRICT=1`` turns every accepted legacy use into the error real Lightning 2.x raises, so a user can
prove a migration is complete.
"""
import os
import warnings
from typing import Callable, Type

_VAR_KEYWORDS = 0x08  # inspect.CO_VARKEYWORDS, without importing inspect


def strict_mode() -> bool:
    return os.environ.get("LIGHTNING_COMPAT_STRICT", "0").lower() not in ("", "0", "false", "no")


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
