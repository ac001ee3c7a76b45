"""``torch.compile`` and LightningModules: unwrap a compiled module into a LightningModule whose step methods run
compiled (``from_compiled``), and undo it (``to_uncompiled``)."""
from typing import Any

from lightning.pytorch.utilities.model_helpers import imported_class

_STEP_METHODS = ("forward", "training_step", "validation_step", "test_step", "predict_step")


def _optimized_module_type() -> type:
    from torch._dynamo import OptimizedModule

    return OptimizedModule


def _is_lightning_module(obj: Any) -> bool:
    # no import: utilities sit below core, and a LightningModule exists only once core.module is imported
    base = imported_class("lightning.pytorch.core.module", "LightningModule")
    return base is not None and isinstance(obj, base)


def from_compiled(model: Any) -> Any:
    """The LightningModule inside ``torch.compile(module)``, with forward and the step methods compiled the same way
    (the originals are kept in ``_compiler_ctx`` for ``to_uncompiled``)."""
    if not isinstance(model, _optimized_module_type()):
        raise ValueError(f"`model` is required to be a `OptimizedModule`. Found a `{type(model).__name__}` instead.")
    original = model._orig_mod
    if not _is_lightning_module(original):
        raise ValueError(
            f"`model` is expected to be a compiled LightningModule. Found a `{type(original).__name__}` instead"
        )
    ctx: dict = {"compiler": "dynamo", "dynamo_ctx": model.dynamo_ctx}
    for name in _STEP_METHODS:
        ctx[f"original_{name}"] = getattr(original, name)
        setattr(original, name, model.dynamo_ctx(getattr(original, name)))
    original._compiler_ctx = ctx
    return original


def to_uncompiled(model: Any) -> Any:
    """The plain LightningModule again, from a compiled wrapper or from the result of ``from_compiled``."""
    if isinstance(model, _optimized_module_type()):
        original = model._orig_mod
        if not _is_lightning_module(original):
            raise TypeError(f"Unexpected error, the wrapped model should be a LightningModule, found "
                            f"{type(model).__name__}")
    elif _is_lightning_module(model):
        if model._compiler_ctx is None:
            raise ValueError("`model` is required to be a compiled LightningModule. Found a non-compiled "
                             "LightningModule instead.")
        original = model
    else:
        raise ValueError("`model` must either be an instance of OptimizedModule or LightningModule")
    ctx = original._compiler_ctx
    if ctx is not None:
        for name in _STEP_METHODS:
            if f"original_{name}" in ctx:
                setattr(original, name, ctx[f"original_{name}"])
        original._compiler_ctx = None
    return original
