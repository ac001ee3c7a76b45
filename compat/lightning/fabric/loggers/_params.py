"""Hyperparameter and metric-name shaping shared by Fabric's and the Trainer's loggers: ``Namespace`` -> dict, nested
dicts -> ``a/b`` keys, callables and non-primitives -> loggable values, key prefixes."""
import inspect
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
