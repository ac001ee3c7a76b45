"""The Trainer's view of the checkpoint file engine (:mod:`lightning.fabric.utilities.checkpoint_files`): the same
functions, plus the callback classes that checkpoints of Lightning <= 1.4 used as dict keys, which a weights-only
load may resolve by name (they are only referenced, never instantiated)."""
import importlib
from typing import Any, List, Tuple

from lightning.fabric.utilities.checkpoint_files import (  # noqa: F401 - the Trainer's import path for these
    _PATH,
    CheckpointWriteError,
    _fsync_file,
    atomic_save,
    legacy_safe_globals,
    load_checkpoint_file,
    refused_pickle_message,
    register_safe_globals,
    torch_load,
)

# module of a callback class in older checkpoints -> class name
_LEGACY_CALLBACK_CLASSES = {
    "model_checkpoint": "ModelCheckpoint",
    "early_stopping": "EarlyStopping",
    "lr_monitor": "LearningRateMonitor",
    "timer": "Timer",
    "gradient_accumulation_scheduler": "GradientAccumulationScheduler",
    "stochastic_weight_avg": "StochasticWeightAveraging",
    "finetuning": "BackboneFinetuning",
}


def _legacy_callback_classes() -> List[Tuple[Any, str]]:
    pairs: List[Tuple[Any, str]] = []
    for module_name, class_name in _LEGACY_CALLBACK_CLASSES.items():
        try:
            cls = getattr(importlib.import_module(f"lightning.pytorch.callbacks.{module_name}"), class_name)
        except (ImportError, AttributeError):  # pragma: no cover - a callback module failed to import
            continue
        for root in ("pytorch_lightning", "lightning.pytorch"):
            pairs.append((cls, f"{root}.callbacks.{module_name}.{class_name}"))
    return pairs


register_safe_globals(_legacy_callback_classes)
