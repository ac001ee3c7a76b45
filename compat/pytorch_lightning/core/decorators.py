"""``pytorch_lightning.core.decorators`` (1.x-only): ``@auto_move_data`` and ``@parameter_validation``.

2.x removed the module: the Trainer moves batches itself, and weight tying survives ``.to(device)``. The decorators
keep working for code that still uses them (``@auto_move_data`` matters when ``forward`` is called outside the
Trainer, e.g. for inference on a model that lives on a GPU).
"""
import functools
from typing import Any, Callable

from lightning.fabric.utilities.apply_func import move_data_to_device
from lightning.pytorch._legacy.usage import legacy_usage
from lit_migrate import legacy_facts as _facts

legacy_usage(f"`pytorch_lightning.core.decorators` is a 1.x module: "
             f"{_facts.MODULE_MOVES['pytorch_lightning.core.decorators'].advice}.", error=ModuleNotFoundError,
             stacklevel=3)


def auto_move_data(fn: Callable) -> Callable:
    """Move the arguments of a LightningModule method (usually ``forward``) to the module's device first."""

    @functools.wraps(fn)
    def auto_transfer_args(self: Any, *args: Any, **kwargs: Any) -> Any:
        from lightning.pytorch.core.module import LightningModule

        if isinstance(self, LightningModule):
            args, kwargs = move_data_to_device((args, kwargs), self.device)
        return fn(self, *args, **kwargs)

    return auto_transfer_args


def parameter_validation(fn: Callable) -> Callable:
    """1.x re-tied shared weights after ``.to()`` on XLA; 2.x keeps ties, so this only calls ``fn``."""

    @functools.wraps(fn)
    def inner(self: Any, *args: Any, **kwargs: Any) -> Any:
        return fn(self, *args, **kwargs)

    return inner
