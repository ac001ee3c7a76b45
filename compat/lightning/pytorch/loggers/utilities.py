"""Helpers shared by the loggers and by the Trainer's use of them.

Parameter shaping (``Namespace`` -> dict, nested dicts -> ``a/b`` keys, non-primitives -> strings, key prefixes; shared
with Fabric's loggers, see :mod:`lightning.fabric.loggers._params`), the combined version string of several loggers,
the hyperparameter hand-off at the start of a run, and the list of checkpoint files a logger has not uploaded yet.
"""
from typing import Any, Optional, Union

from torch import Tensor

from lightning.fabric.loggers._params import (  # noqa: F401 - the loggers' import path for these
    _add_prefix,
    _convert_params,
    _flatten_dict,
    _sanitize_callable_params,
    _sanitize_params,
)
from lightning.fabric.utilities.cloud_io import _isfile, _modified


def _version(loggers: list, separator: str = "_") -> Union[int, str]:
    """The version of one logger, or the distinct versions of several joined by ``separator`` (order kept)."""
    if len(loggers) == 1:
        return loggers[0].version
    return separator.join(dict.fromkeys(str(logger.version) for logger in loggers))


def _log_hyperparams(trainer: Any) -> None:
    """At the start of a run: send the module's (and datamodule's) initial hparams and the graph to every logger.

    A key saved by both the module and the datamodule must hold the same value in both, otherwise it is unclear which
    one the logged run used.
    """
    if not trainer.loggers:
        return
    module = trainer.lightning_module
    datamodule = trainer.datamodule
    from_module = module._log_hyperparams
    from_datamodule = datamodule._log_hyperparams if datamodule is not None else False

    hparams: Optional[dict] = None
    if from_module and from_datamodule:
        module_hparams, datamodule_hparams = module.hparams_initial, datamodule.hparams_initial
        clashing = [
            key
            for key in module_hparams.keys() & datamodule_hparams.keys()
            if key != "_class_path" and not _same_value(module_hparams[key], datamodule_hparams[key])
        ]
        if clashing:
            raise RuntimeError(
                f"Error while merging hparams: {clashing} are saved by both the LightningModule and the"
                " LightningDataModule with different values, so the logged run would be ambiguous. Rename one of them"
                " or save the same value in both."
            )
        hparams = {**module_hparams, **datamodule_hparams}
    elif from_module:
        hparams = dict(module.hparams_initial)
    elif from_datamodule:
        hparams = dict(datamodule.hparams_initial)
    if hparams is not None:
        hparams.pop("_class_path", None)  # LightningCLI bookkeeping, not a hyperparameter

    for logger in trainer.loggers:
        if hparams is not None:
            logger.log_hyperparams(hparams)
        logger.log_graph(module)
        logger.save()


def _same_value(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, Tensor):
        return a is b
    return bool(a == b)


def _scan_checkpoints(checkpoint_callback: Any, logged_model_time: dict) -> list:
    """Checkpoint files of ``checkpoint_callback`` (last, best, top-k) that are new or changed since they were last
    logged, oldest first, as ``(mtime, path, score, tag)``."""
    candidates: dict = {}
    if hasattr(checkpoint_callback, "last_model_path") and hasattr(checkpoint_callback, "current_score"):
        candidates[checkpoint_callback.last_model_path] = (checkpoint_callback.current_score, "latest")
    if hasattr(checkpoint_callback, "best_model_path") and hasattr(checkpoint_callback, "best_model_score"):
        candidates[checkpoint_callback.best_model_path] = (checkpoint_callback.best_model_score, "best")
    for path, score in getattr(checkpoint_callback, "best_k_models", {}).items():
        candidates[path] = (score, "best_k")
    found = sorted(
        (_modified(path), path, score, tag) for path, (score, tag) in candidates.items() if path and _isfile(path)
    )
    return [entry for entry in found if entry[1] not in logged_model_time or logged_model_time[entry[1]] < entry[0]]
