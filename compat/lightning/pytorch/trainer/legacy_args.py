"""Translation of 1.x ``Trainer(...)`` arguments (``gpus=``, ``resume_from_checkpoint=`` ...) onto the 2.x ones.

Owned by the legacy layer; the Trainer's ``__init__`` is wrapped with :func:`accepts_legacy_arguments`, which keeps
the 2.x signature visible to ``inspect`` (LightningCLI reads it).
"""
import functools
from typing import Any, Callable


def accepts_legacy_arguments(init: Callable) -> Callable:
    """Wrap ``Trainer.__init__``; 1.x arguments are translated here (none are recognised yet)."""

    @functools.wraps(init)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)

    return wrapper
