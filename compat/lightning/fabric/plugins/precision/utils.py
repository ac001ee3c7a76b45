"""Dtype helpers the precision plugins share: a default-dtype context and the cast of a collection's float
tensors."""
import contextlib
from typing import Any, Generator

import torch
from torch import Tensor

from lightning.fabric.utilities.apply_func import apply_to_collection


@contextlib.contextmanager
def _default_dtype(dtype: torch.dtype) -> Generator:
    """``torch.set_default_dtype(dtype)`` for the body of a ``with``, then the previous default again."""
    previous = torch.get_default_dtype()
    torch.set_default_dtype(dtype)
    try:
        yield
    finally:
        torch.set_default_dtype(previous)


def _convert_fp_tensor(tensor: Tensor, dst_type: torch.dtype) -> Tensor:
    return tensor.to(dst_type) if torch.is_floating_point(tensor) else tensor


def _floats_to(data: Any, dtype: torch.dtype) -> Any:
    """``data`` with every floating-point tensor in it cast to ``dtype`` (integer tensors and the rest unchanged)."""
    return apply_to_collection(data, Tensor, _convert_fp_tensor, dtype)
