"""Printing, warning and logging only on the process of global rank zero.

The rank is read once from the environment the launcher set (``RANK``, ``SLURM_PROCID``, ``LOCAL_RANK``...) and updated
by the strategy when it learns the real one; everything here is cheap enough to call per step.
"""
import logging
import os
import warnings
from functools import wraps
from typing import Any, Callable, Optional, TypeVar

# the Trainer's info lines go through these functions; 2.6.6 logs them (Fabric's calls as well, once the Trainer is
# imported) under this name, below the "lightning.pytorch" logger that users silence
log = logging.getLogger("lightning.pytorch.utilities.rank_zero")
T = TypeVar("T")


class LightningDeprecationWarning(DeprecationWarning):
    """A Lightning API that will be removed; the message names the replacement."""


def _rank_from_env() -> int:
    for key in ("RANK", "LOCAL_RANK", "SLURM_PROCID", "JSM_NAMESPACE_RANK"):
        if key in os.environ:
            return int(os.environ[key])
    return 0


def rank_zero_only(fn: Callable[..., T], default: Optional[T] = None) -> Callable[..., Optional[T]]:
    """Run ``fn`` on global rank zero only; other ranks get ``default``."""

    @wraps(fn)
    def wrapped(*args: Any, **kwargs: Any) -> Optional[T]:
        if rank_zero_only.rank == 0:
            return fn(*args, **kwargs)
        return default

    return wrapped


rank_zero_only.rank = _rank_from_env()  # type: ignore[attr-defined]


@rank_zero_only
def rank_zero_debug(*args: Any, stacklevel: int = 4, **kwargs: Any) -> None:
    log.debug(*args, stacklevel=stacklevel, **kwargs)


@rank_zero_only
def rank_zero_info(*args: Any, stacklevel: int = 4, **kwargs: Any) -> None:
    log.info(*args, stacklevel=stacklevel, **kwargs)


@rank_zero_only
def rank_zero_warn(message: Any, stacklevel: int = 4, **kwargs: Any) -> None:
    warnings.warn(message, stacklevel=stacklevel, **kwargs)


def rank_zero_deprecation(message: Any, stacklevel: int = 5, **kwargs: Any) -> None:
    category = kwargs.pop("category", LightningDeprecationWarning)
    rank_zero_warn(message, stacklevel=stacklevel, category=category, **kwargs)


class WarningCache(set):
    """Warn or log each distinct message once."""

    def warn(self, message: str, stacklevel: int = 5, **kwargs: Any) -> None:
        if message not in self:
            self.add(message)
            rank_zero_warn(message, stacklevel=stacklevel, **kwargs)

    def deprecation(self, message: str, stacklevel: int = 6, **kwargs: Any) -> None:
        if message not in self:
            self.add(message)
            rank_zero_deprecation(message, stacklevel=stacklevel, **kwargs)

    def info(self, message: str, stacklevel: int = 5, **kwargs: Any) -> None:
        if message not in self:
            self.add(message)
            rank_zero_info(message, stacklevel=stacklevel, **kwargs)
