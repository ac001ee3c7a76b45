"""Memory helpers: detach (and move) nested outputs, recognise out-of-memory errors, free cached GPU memory."""
import gc
from typing import Any

import torch
from torch import Tensor

from lightning.fabric.utilities.apply_func import apply_to_collection


def recursive_detach(in_dict: Any, to_cpu: bool = False) -> Any:
    """``in_dict`` with every tensor detached from the graph (and moved to the CPU when ``to_cpu``)."""

    def detach(t: Tensor) -> Tensor:
        t = t.detach()
        return t.cpu() if to_cpu else t

    return apply_to_collection(in_dict, Tensor, detach)


def _single_message(exception: BaseException) -> str:
    if isinstance(exception, RuntimeError) and len(exception.args) == 1 and isinstance(exception.args[0], str):
        return exception.args[0]
    return ""


def is_cuda_out_of_memory(exception: BaseException) -> bool:
    message = _single_message(exception)
    return "CUDA" in message and "out of memory" in message


def is_cudnn_snafu(exception: BaseException) -> bool:
    # cuDNN reports NOT_SUPPORTED instead of OOM for some too-large inputs
    return "cuDNN error: CUDNN_STATUS_NOT_SUPPORTED." in _single_message(exception)


def is_out_of_cpu_memory(exception: BaseException) -> bool:
    return "DefaultCPUAllocator: can't allocate memory" in _single_message(exception)


def is_oom_error(exception: BaseException) -> bool:
    """Whether ``exception`` is an out-of-memory error (CUDA, cuDNN or CPU allocator)."""
    return is_cuda_out_of_memory(exception) or is_cudnn_snafu(exception) or is_out_of_cpu_memory(exception)


def garbage_collection_cuda() -> None:
    """Collect garbage and release cached CUDA memory (an OOM while releasing is ignored)."""
    gc.collect()
    try:
        torch.cuda.empty_cache()
    except RuntimeError as exception:
        if not is_oom_error(exception):
            raise
