"""``merge_dicts``, reached as ``lightning.pytorch.loggers.logger.merge_dicts``; kept apart so that ``statistics``
(its default aggregation) is imported only when it is used."""
import statistics
from collections.abc import Mapping, Sequence
from typing import Callable, Optional


def merge_dicts(
    dicts: Sequence[Mapping],
    agg_key_funcs: Optional[Mapping] = None,
    default_func: Callable[[Sequence[float]], float] = statistics.mean,
) -> dict:
    """Merge ``dicts`` key by key: the values of a key (``None`` skipped) are combined with ``agg_key_funcs[key]``
    or ``default_func``; nested dicts are merged the same way with the nested mapping of functions."""
    agg_key_funcs = agg_key_funcs or {}
    merged: dict = {}
    keys = list(dict.fromkeys(key for d in dicts for key in d))
    for key in keys:
        values = [d[key] for d in dicts if d.get(key) is not None]
        func = agg_key_funcs.get(key)
        if values and isinstance(values[0], dict):
            merged[key] = merge_dicts(values, func, default_func)
        else:
            merged[key] = (func or default_func)(values)
    return merged
