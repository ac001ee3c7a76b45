"""Parsing ``devices=`` for GPUs: ``2``, ``"0,1"``, ``[0, 1]``, ``-1`` (all), ``"auto"`` -> a list of GPU indices."""
from typing import List, MutableSequence, Optional, Union

import torch

from lightning.fabric.utilities.exceptions import MisconfigurationException
from lightning.fabric.utilities.types import _DEVICE


def _determine_root_gpu_device(gpus: List[_DEVICE]) -> Optional[_DEVICE]:
    """The first device of the list (``None`` for no devices)."""
    if gpus is None:
        return None
    if not isinstance(gpus, list):
        raise TypeError("GPUs should be a list")
    if not gpus:
        raise ValueError("GPUs should be a non-empty list")
    return gpus[0]


def _parse_gpu_ids(gpus: Optional[Union[int, str, List[int]]], include_cuda: bool = False,
                   include_mps: bool = False) -> Optional[List[int]]:
    """Turn a ``devices`` value into the list of GPU indices to use, checking that they exist here.

    ``None``, ``0``, ``"0"`` and ``[]`` mean no GPU; ``-1`` / ``"-1"`` mean every visible GPU; an int ``n`` means
    the first ``n`` GPUs; a string ``"1,3"`` or a list ``[1, 3]`` name the indices.
    """
    _check_data_type(gpus)
    if gpus is None or (isinstance(gpus, int) and gpus == 0) or str(gpus).strip() in ("0", "[]", ","):
        return None
    gpus = _normalize_parse_gpu_string_input(gpus)
    gpus = _normalize_parse_gpu_input_to_list(gpus, include_cuda=include_cuda, include_mps=include_mps)
    if not gpus:
        raise MisconfigurationException("GPUs requested but none are available.")
    return _sanitize_gpu_ids(gpus, include_cuda=include_cuda, include_mps=include_mps)


def _normalize_parse_gpu_string_input(s: Union[int, str, List[int]]) -> Union[int, List[int]]:
    if not isinstance(s, str):
        return s
    if s == "-1":
        return -1
    if "," in s:
        return [int(x.strip()) for x in s.split(",") if len(x) > 0]
    return int(s.strip())


def _sanitize_gpu_ids(gpus: List[int], include_cuda: bool = False, include_mps: bool = False) -> List[int]:
    """Check each requested index is a visible GPU; raise a ``MisconfigurationException`` naming the missing ones."""
    all_available = _get_all_available_gpus(include_cuda=include_cuda, include_mps=include_mps)
    missing = [g for g in gpus if g not in all_available]
    if missing:
        raise MisconfigurationException(
            f"You requested gpu: {gpus}\n But your machine only has: {all_available}. Pick indices from that list "
            "or check CUDA_VISIBLE_DEVICES."
        )
    return gpus


def _normalize_parse_gpu_input_to_list(gpus: Union[int, List[int], tuple], include_cuda: bool,
                                       include_mps: bool) -> Optional[List[int]]:
    if isinstance(gpus, (MutableSequence, tuple)):
        return list(gpus)
    if not gpus:
        return None
    if gpus == -1:
        return _get_all_available_gpus(include_cuda=include_cuda, include_mps=include_mps)
    return list(range(gpus))


def _get_all_available_gpus(include_cuda: bool = False, include_mps: bool = False) -> List[int]:
    cuda = list(range(torch.cuda.device_count())) if include_cuda and torch.cuda.is_available() else []
    mps = [0] if include_mps and torch.backends.mps.is_available() else []
    return cuda + mps


def _check_unique(device_ids: List[int]) -> None:
    if len(device_ids) != len(set(device_ids)):
        raise MisconfigurationException(f"Device ID's (GPU) must be unique, got {device_ids}.")


def _check_data_type(device_ids: object) -> None:
    """``devices`` must be None, an int, a string, or a list/tuple of ints."""
    msg = "Device IDs (GPU/TPU) must be an int, a string, a sequence of ints or None, but you passed"
    if device_ids is None:
        return
    if isinstance(device_ids, (MutableSequence, tuple)):
        for id_ in device_ids:
            if type(id_) is not int:
                raise TypeError(f"{msg} a sequence of {type(id_).__name__}.")
    elif type(device_ids) not in (int, str):
        raise TypeError(f"{msg} {type(device_ids).__name__}.")


def _select_auto_accelerator() -> str:
    """``"cuda"`` when a CUDA GPU is visible, ``"mps"`` on Apple silicon, else ``"cpu"``."""
    if torch.cuda.is_available():
        return "cuda"
    if torch.backends.mps.is_available():
        return "mps"
    return "cpu"
