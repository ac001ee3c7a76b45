"""Apply a function to every tensor in a nested collection; move batches between devices."""
import dataclasses
from abc import ABC
from functools import partial
from collections import OrderedDict, defaultdict
from typing import Any, Callable, Optional, Union

import torch
from torch import Tensor


def _is_namedtuple(obj: object) -> bool:
    return isinstance(obj, tuple) and hasattr(obj, "_asdict") and hasattr(obj, "_fields")


def apply_to_collection(
    data: Any,
    dtype: Union[type, tuple],
    function: Callable,
    *args: Any,
    wrong_dtype: Optional[Union[type, tuple]] = None,
    include_none: bool = True,
    allow_frozen: bool = False,
    **kwargs: Any,
) -> Any:
    """Return ``data`` with ``function`` applied to each element of type ``dtype``, rebuilding the containers."""
    if isinstance(data, dtype) and (wrong_dtype is None or not isinstance(data, wrong_dtype)):
        return function(data, *args, **kwargs)
    recurse = lambda v: apply_to_collection(  # noqa: E731
        v, dtype, function, *args, wrong_dtype=wrong_dtype, include_none=include_none, allow_frozen=allow_frozen,
        **kwargs,
    )
    if isinstance(data, dict):
        items = [(k, recurse(v)) for k, v in data.items()]
        if not include_none:
            items = [(k, v) for k, v in items if v is not None]
        if isinstance(data, defaultdict):
            return type(data)(data.default_factory, OrderedDict(items))
        return type(data)(items) if type(data) in (dict, OrderedDict) else _rebuild_mapping(data, items)
    if _is_namedtuple(data):
        return type(data)(*[recurse(v) for v in data])
    if isinstance(data, (list, tuple, set)) and not isinstance(data, str):
        out = [recurse(v) for v in data]
        if not include_none:
            out = [v for v in out if v is not None]
        return type(data)(out)
    if dataclasses.is_dataclass(data) and not isinstance(data, type):
        fields = {f.name: recurse(getattr(data, f.name)) for f in dataclasses.fields(data) if f.init}
        try:
            return dataclasses.replace(data, **fields)
        except dataclasses.FrozenInstanceError:
            if allow_frozen:
                return data
            raise
    return data


def _rebuild_mapping(data: Any, items: list) -> Any:
    try:
        return type(data)(items)
    except TypeError:
        return dict(items)


class _TransferableDataType(ABC):
    """Anything with a ``to(device)`` method that is not a tensor (custom batch classes)."""

    @classmethod
    def __subclasshook__(cls, subclass: Any) -> Any:
        if cls is _TransferableDataType:
            to = getattr(subclass, "to", None)
            return callable(to)
        return NotImplemented


def move_data_to_device(batch: Any, device: Union[str, torch.device]) -> Any:
    """Move every tensor (and object with ``.to``) in ``batch`` to ``device``; non-blocking where that is safe."""
    if isinstance(device, str):
        device = torch.device(device)
    # the common batch, a tensor or a flat list/tuple of tensors, without the generic walk (runs every step)
    kind = type(batch)
    if kind is Tensor:
        return _tensor_to(batch, device)
    if kind is list or kind is tuple:
        elsewhere = False
        for t in batch:
            if type(t) is not Tensor:
                break
            elsewhere = elsewhere or t.device != device
        else:  # all tensors: a new container only when one of them moves
            return kind([_tensor_to(t, device) for t in batch]) if elsewhere else batch

    def batch_to(data: Any) -> Any:
        kwargs = {}
        if isinstance(data, Tensor) and isinstance(device, torch.device) and device.type not in ("cpu", "mps"):
            kwargs["non_blocking"] = True
        out = data.to(device, **kwargs)
        return data if out is None else out

    return apply_to_collection(batch, dtype=(Tensor, _TransferableDataType), function=batch_to)


def _tensor_to(tensor: Tensor, device: torch.device) -> Tensor:
    if tensor.device == device:
        return tensor
    return tensor.to(device, non_blocking=device.type not in ("cpu", "mps"))


# Python numbers become 32-bit tensors (as in Lightning), so that collectives see one dtype on every rank
CONVERSION_DTYPES = [(int, torch.int), (float, torch.float)]


def convert_to_tensors(data: Any, device: Union[str, torch.device]) -> Any:
    """Turn numbers and numpy arrays in ``data`` into tensors on ``device``."""
    for src_dtype, dst_dtype in CONVERSION_DTYPES:
        data = apply_to_collection(data, src_dtype, partial(torch.tensor, dtype=dst_dtype, device=device))
    return move_data_to_device(data, device)


def convert_tensors_to_scalars(data: Any) -> Any:
    """Replace one-element tensors in ``data`` by Python numbers (one sync per tensor)."""

    def to_item(value: Tensor) -> Union[int, float, bool]:
        if value.numel() != 1:
            raise ValueError(
                f"The metric `{value}` does not contain a single element, thus it cannot be converted to a scalar."
            )
        return value.item()

    return apply_to_collection(data, Tensor, to_item)
