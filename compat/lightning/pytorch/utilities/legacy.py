"""One place where 1.x usage that we still accept is reported: a DeprecationWarning, or an error in strict mode.

``LIGHTNING_COMPAT_STRICT=1`` turns every accepted legacy use into the error real Lightning 2.x raises, so a user can
prove a migration is complete.
"""
import os
import warnings
from typing import Type


def strict_mode() -> bool:
    return os.environ.get("LIGHTNING_COMPAT_STRICT", "0").lower() not in ("", "0", "false", "no")


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
