"""1.x hooks that Lightning 2.x removed (``training_epoch_end(outputs)`` ...): found once per run.

Lightning 2.x raises ``NotImplementedError`` for them; the legacy layer (``pytorch_lightning``) replaces this module's
behaviour with a translation to the 2.x hooks. Here, the 2.x error is raised with the way out.
"""
from typing import Any

_REMOVED_EPOCH_END = ("training_epoch_end", "validation_epoch_end", "test_epoch_end")


def legacy_run_callbacks(trainer: Any, model: Any) -> list:
    """Internal callbacks that give 1.x hooks their 1.x meaning (none yet: the 2.x error instead)."""
    for name in _REMOVED_EPOCH_END:
        if callable(getattr(model, name, None)):
            new = "on_" + name.replace("training", "train")
            raise NotImplementedError(
                f"Support for `{name}` has been removed in v2.0.0. `{type(model).__name__}` implements this method. "
                f"Use the `{new}` hook instead and collect the step outputs on `self` (or run `lit-migrate`)."
            )
    return []


def supports_multiple_optimizers(model: Any) -> bool:
    """Whether automatic optimization may drive several optimizers for ``model`` (the 1.x ``optimizer_idx``
    pattern, translated by the legacy layer). Lightning 2.x allows one."""
    return False
