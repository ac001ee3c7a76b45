"""Throughput and FLOPs: rolling batches/samples/items/FLOPs per second, model FLOP utilization (MFU), and
``measure_flops`` (counts the FLOPs of one forward, or forward + backward, with ``torch.utils.flop_counter``)."""
from collections import deque
from typing import Any, Callable, Dict, List, Optional, Union

import torch

from lightning.fabric.utilities.rank_zero import rank_zero_only, rank_zero_warn

_THROUGHPUT_METRICS = Dict[str, Union[int, float]]


class _MonotonicWindow(List[Any]):
    """A list of at most ``maxlen`` values that must strictly increase (cumulative counters)."""

    def __init__(self, maxlen: int) -> None:
        super().__init__()
        self.maxlen = maxlen

    @property
    def last(self) -> Optional[Any]:
        return self[-1] if self else None

    def append(self, x: Any) -> None:
        if self and self[-1] >= x:
            raise ValueError(f"Expected the value to increase, last: {self[-1]}, current: {x}")
        list.append(self, x)
        if len(self) > self.maxlen:
            del self[0]

    def __setitem__(self, key: Any, value: Any) -> None:
        raise NotImplementedError("__setitem__ is not supported: values are only appended")


class Throughput:
    """Rolling throughput over the last ``window_size`` updates.

    ``update()`` takes cumulative totals (elapsed time, batches, samples, optionally item lengths) and the FLOPs of
    the work since the previous update. ``compute()`` returns the totals always, and the ``device/...`` rates once
    the window is full; with ``world_size > 1`` also the global rates; ``device/mfu`` when ``available_flops`` is
    known.
    """

    def __init__(self, available_flops: Optional[float] = None, world_size: int = 1, window_size: int = 100,
                 separator: str = "/") -> None:
        if world_size < 1:
            raise ValueError(f"`world_size` must be >= 1, got {world_size}.")
        if window_size < 2:
            raise ValueError(f"`window_size` must be at least 2 (a rate needs two points), got {window_size}.")
        self.available_flops = available_flops
        self.separator = separator
        self.world_size = world_size
        self._time: _MonotonicWindow = _MonotonicWindow(maxlen=window_size)
        self._batches: _MonotonicWindow = _MonotonicWindow(maxlen=window_size)
        self._samples: _MonotonicWindow = _MonotonicWindow(maxlen=window_size)
        self._lengths: _MonotonicWindow = _MonotonicWindow(maxlen=window_size)
        self._flops: deque = deque(maxlen=window_size)

    def update(self, *, time: float, batches: int, samples: int, lengths: Optional[int] = None,
               flops: Optional[int] = None) -> None:
        self._time.append(time)
        if samples < batches:
            raise ValueError(f"Expected samples ({samples}) to be greater or equal than batches ({batches})")
        self._batches.append(batches)
        self._samples.append(samples)
        if lengths is not None:
            if lengths < samples:
                raise ValueError(f"Expected lengths ({lengths}) to be greater or equal than samples ({samples})")
            self._lengths.append(lengths)
            if len(self._samples) != len(self._lengths):
                raise RuntimeError(f"If lengths are passed ({len(self._lengths)}), there needs to be the same number "
                                   f"of samples ({len(self._samples)}): pass `lengths` on every update.")
        if flops is not None:
            self._flops.append(flops * self.world_size)

    def compute(self) -> _THROUGHPUT_METRICS:
        sep = self.separator
        metrics: _THROUGHPUT_METRICS = {"time": self._time[-1], "batches": self._batches[-1],
                                        "samples": self._samples[-1]}
        if self._lengths:
            metrics["lengths"] = self._lengths[-1]
        multi = self.world_size > 1
        if len(self._time) == self._time.maxlen:
            elapsed = self._time[-1] - self._time[0]
            batches_per_sec = (self._batches[-1] - self._batches[0]) / elapsed
            samples_per_sec = (self._samples[-1] - self._samples[0]) / elapsed
            metrics[f"device{sep}batches_per_sec"] = batches_per_sec
            metrics[f"device{sep}samples_per_sec"] = samples_per_sec
            if multi:
                metrics["batches_per_sec"] = batches_per_sec * self.world_size
                metrics["samples_per_sec"] = samples_per_sec * self.world_size
            if len(self._lengths) == self._lengths.maxlen:
                items_per_sec = (self._lengths[-1] - self._lengths[0]) / elapsed
                metrics[f"device{sep}items_per_sec"] = items_per_sec
                if multi:
                    metrics["items_per_sec"] = items_per_sec * self.world_size
        if len(self._flops) == self._flops.maxlen:
            # the first entry is the work done before the window's first timestamp
            flops_per_sec = (sum(self._flops) - self._flops[0]) / (self._time[-1] - self._time[0])
            if multi:
                metrics["flops_per_sec"] = flops_per_sec
            device_flops_per_sec = flops_per_sec / self.world_size
            metrics[f"device{sep}flops_per_sec"] = device_flops_per_sec
            if self.available_flops:
                metrics[f"device{sep}mfu"] = device_flops_per_sec / self.available_flops
        return metrics

    def reset(self) -> None:
        for window in (self._time, self._batches, self._samples, self._lengths, self._flops):
            window.clear()


class ThroughputMonitor(Throughput):
    """``Throughput`` for a Fabric loop: reads world size, device and precision from ``fabric``, updates and logs on
    rank zero only, and counts the logging step itself (``compute_and_log(step=None)``)."""

    def __init__(self, fabric: Any, **kwargs: Any) -> None:
        validate = getattr(fabric, "_validate_launched", None)
        if validate is not None:
            validate()
        dtype = _plugin_to_compute_dtype(fabric.strategy.precision)
        super().__init__(available_flops=get_available_flops(fabric.device, dtype), world_size=fabric.world_size,
                         **kwargs)
        self._fabric = fabric
        self.step = -1
        self.update = rank_zero_only(self.update)  # type: ignore[method-assign]
        self.compute = rank_zero_only(self.compute, default={})  # type: ignore[method-assign]
        self.compute_and_log = rank_zero_only(self.compute_and_log, default={})  # type: ignore[method-assign]
        self.reset = rank_zero_only(self.reset)  # type: ignore[method-assign]

    def compute_and_log(self, step: Optional[int] = None, **kwargs: Any) -> _THROUGHPUT_METRICS:
        self.step = self.step + 1 if step is None else step
        metrics = self.compute(**kwargs)
        self._fabric.log_dict(metrics=metrics, step=self.step)
        return metrics


def measure_flops(model: torch.nn.Module, forward_fn: Callable[[], torch.Tensor],
                  loss_fn: Optional[Callable[[torch.Tensor], torch.Tensor]] = None) -> int:
    """FLOPs of ``forward_fn()`` (and of ``loss_fn(output).backward()`` when given). Build the model and inputs
    under ``torch.device("meta")`` to count without allocating or computing anything."""
    from torch.utils.flop_counter import FlopCounterMode

    counter = FlopCounterMode(display=False)
    with counter:
        if loss_fn is None:
            forward_fn()
        else:
            loss_fn(forward_fn()).backward()
    return counter.get_total_flops()


# Peak dense throughput per chip and dtype, from the vendors' data sheets ("tfloat32": fp32 matmuls on tensor cores).
_CUDA_FLOPS: Dict[str, Dict[Any, float]] = {
    "h200": {torch.float64: 3.4e13, torch.float32: 6.7e13, "tfloat32": 9.89e14, torch.bfloat16: 1.979e15,
             torch.float16: 1.979e15, torch.int8: 3.958e15},
    "h100 sxm": {torch.float64: 3.35e13, torch.float32: 6.69e13, "tfloat32": 4.947e14, torch.bfloat16: 9.894e14,
                 torch.float16: 9.894e14, torch.int8: 1.9789e15},
    "h100 pcie": {torch.float64: 2.56e13, torch.float32: 5.12e13, "tfloat32": 3.78e14, torch.bfloat16: 7.56e14,
                  torch.float16: 7.56e14, torch.int8: 1.513e15},
    "a100": {torch.float64: 9.7e12, torch.float32: 1.95e13, "tfloat32": 1.56e14, torch.bfloat16: 3.12e14,
             torch.float16: 3.12e14, torch.int8: 6.24e14},
    "a10g": {torch.float32: 3.12e13, "tfloat32": 6.25e13, torch.bfloat16: 1.25e14, torch.float16: 1.25e14,
             torch.int8: 2.5e14},
    "l4": {torch.float32: 3.03e13, "tfloat32": 6.0e13, torch.bfloat16: 1.21e14, torch.float16: 1.21e14,
           torch.int8: 2.42e14},
    "l40": {torch.float32: 9.05e13, "tfloat32": 9.05e13, torch.bfloat16: 1.81e14, torch.float16: 1.81e14,
            torch.int8: 3.62e14},
    "t4": {torch.float32: 8.1e12, torch.float16: 6.5e13, torch.int8: 1.3e14},
    "v100": {torch.float64: 7.8e12, torch.float32: 1.57e13, torch.float16: 1.25e14},
    "rtx 4090": {torch.float32: 8.26e13, "tfloat32": 8.26e13, torch.bfloat16: 8.26e13, torch.float16: 8.26e13,
                 torch.int8: 6.606e14},
    "rtx 3090": {torch.float32: 3.56e13, "tfloat32": 3.56e13, torch.bfloat16: 3.56e13, torch.float16: 3.56e13,
                 torch.int8: 2.84e14},
}


def _chip_key(device_name: str) -> Optional[str]:
    name = device_name.lower()
    if "h200" in name:
        return "h200"
    if "h100" in name:
        return "h100 pcie" if ("pcie" in name or "hbm2e" in name) else "h100 sxm"
    if "l40" in name:
        return "l40"
    for chip in ("a100", "a10g", "l4", "t4", "v100", "rtx 4090", "rtx 3090"):
        if chip in name:
            return chip
    return None


def get_available_flops(device: torch.device, dtype: Union[torch.dtype, str]) -> Optional[int]:
    """The chip's theoretical peak FLOP/s for ``dtype`` (an upper bound for MFU), or ``None`` when unknown (CPU,
    or a GPU not in the table; a warning names it)."""
    if device.type != "cuda":
        return None
    device_name = torch.cuda.get_device_name(device)
    chip = _chip_key(device_name)
    if chip is None:
        rank_zero_warn(f"FLOPs not found for {device_name!r}")
        return None
    table = _CUDA_FLOPS[chip]
    if dtype is torch.float32 and torch.cuda.get_device_capability(device) >= (8, 0) \
            and torch.get_float32_matmul_precision() != "highest" and "tfloat32" in table:
        dtype = "tfloat32"
    if dtype not in table:
        rank_zero_warn(f"{device_name!r} does not support {dtype}")
        return None
    return int(table[dtype])


def _plugin_to_compute_dtype(plugin: Any) -> torch.dtype:
    """The dtype matmuls run in under a precision plugin (for ``get_available_flops``)."""
    precision = str(getattr(plugin, "precision", "32-true"))
    if hasattr(plugin, "dtype") and isinstance(plugin.dtype, torch.dtype) and "bnb" in type(plugin).__name__.lower():
        return plugin.dtype
    for attr in ("_desired_input_dtype", "_desired_dtype"):
        value = getattr(plugin, attr, None)
        if isinstance(value, torch.dtype):
            return value
    if precision.startswith("bf16"):
        return torch.bfloat16
    if precision.startswith("16"):
        return torch.float16
    if precision.startswith("64"):
        return torch.float64
    if precision.startswith("transformer-engine"):
        return torch.int8
    return torch.float32
