"""Helpers shared by the loggers and by the Trainer's use of them.

Parameter shaping (``Namespace`` -> dict, nested dicts -> ``a/b`` keys, non-primitives -> strings, key prefixes),
the combined version string of several loggers, the hyperparameter hand-off at the start of a run, and the list of
checkpoint files a logger has not uploaded yet.
"""
import inspect
import os
from argparse import Namespace
from collections.abc import Mapping, MutableMapping
from dataclasses import asdict, is_dataclass
from typing import Any, Optional, Union

from torch import Tensor


def _convert_params(params: Optional[Union[dict, Namespace]]) -> dict:
    """``Namespace`` -> dict, ``None`` -> ``{}``; a dict is returned as it is."""
    if isinstance(params, Namespace):
        return vars(params)
    return {} if params is None else params


def _flatten_dict(params: Mapping, delimiter: str = "/", parent_key: str = "") -> dict:
    """Nested mappings (also dataclasses, Namespaces and lists of mappings) become one level with joined keys."""
    flat: dict = {}
    for key, value in params.items():
        full_key = f"{parent_key}{delimiter}{key}" if parent_key else str(key)
        if is_dataclass(value) and not isinstance(value, type):
            value = asdict(value)
        elif isinstance(value, Namespace):
            value = vars(value)
        if isinstance(value, MutableMapping):
            flat.update(_flatten_dict(value, delimiter, full_key))
        elif isinstance(value, list) and value and all(isinstance(v, MutableMapping) for v in value):
            for i, item in enumerate(value):
                flat.update(_flatten_dict(item, delimiter, f"{full_key}/{i}"))
        else:
            flat[full_key] = value
    return flat


def _sanitize_callable_params(params: dict) -> dict:
    """Classes become their name; other callables are called once (their result is logged, or their name when the
    result is itself callable or the call fails)."""

    def sanitize(value: Any) -> Any:
        if inspect.isclass(value):
            return value.__name__
        if not callable(value):
            return value
        try:
            result = value()
        except Exception:
            return getattr(value, "__name__", None)
        return value.__name__ if callable(result) else result

    return {key: sanitize(value) for key, value in params.items()}


def _sanitize_params(params: dict) -> dict:
    """Keep bool/int/float/str/Tensor values, turn numpy scalars into Python numbers and everything else into str."""
    for key, value in params.items():
        if hasattr(value, "item") and type(value).__module__ == "numpy" and getattr(value, "ndim", 1) == 0:
            value = params[key] = value.item()
        if type(value) not in (bool, int, float, str, Tensor):
            params[key] = str(value)
    return params


def _add_prefix(metrics: Mapping[str, Any], prefix: str, separator: str) -> Mapping[str, Any]:
    """``{"loss": 1}`` with prefix ``"train"`` and separator ``"-"`` -> ``{"train-loss": 1}``."""
    if not prefix:
        return metrics
    return {f"{prefix}{separator}{key}": value for key, value in metrics.items()}


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
                f"Error while merging hparams to log: {clashing} are saved by both the LightningModule and the"
                " LightningDataModule with different values. Rename one of them or save the same value in both."
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
        (os.path.getmtime(path), path, score, tag) for path, (score, tag) in candidates.items() if path and os.path.isfile(path)
    )
    return [entry for entry in found if entry[1] not in logged_model_time or logged_model_time[entry[1]] < entry[0]]
