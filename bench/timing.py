"""How every benchmark is timed: raw and ours alternate in rounds, one thread, medians of per-round ratios.

Both clocks are kept for every run: ``wall`` (what a user waits; the default headline) and ``cpu`` (this
process's CPU time, all its threads: a TensorBoard writer thread counts; much steadier on a loaded machine, but
blind to disk waits). Torch-free so that the runner can import it without paying for torch.
"""
import gc
import statistics
import time
from typing import Callable, Optional

CLOCKS = ("wall", "cpu")


def clocked(fn: Callable[[], object]) -> tuple:
    """(wall seconds, CPU seconds) of one call."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def interleaved(raw: Callable[[], object], ours: Callable[[], object], rounds: int, warmup: int = 1,
                clock: str = "wall", sample: Optional[Callable] = None) -> dict:
    """Time ``raw`` and ``ours`` alternately (the order flips every round, so a load spike on a shared machine
    hits both alike) after ``warmup`` untimed calls of each. ``sample(fn)`` returns one (wall, cpu) measurement
    (default: ``clocked``; pass ``lambda fn: fn()`` for functions that time themselves). The headline ``ratio``
    is the median of the per-round ratios ours / raw on ``clock``; medians of both clocks are kept."""
    if rounds < 1:
        raise ValueError(f"rounds must be >= 1, got {rounds}")
    if clock not in CLOCKS:
        raise ValueError(f"clock must be one of {CLOCKS}, got {clock!r}")
    sample = sample or clocked
    for _ in range(warmup):
        raw()
        ours()
    raw_samples, ours_samples = [], []
    for r in range(rounds):
        order = [(raw, raw_samples), (ours, ours_samples)]
        for fn, samples in order if r % 2 == 0 else order[::-1]:
            samples.append(sample(fn))
    result = {"clock": clock, "rounds": rounds}
    for k, name in enumerate(CLOCKS):
        ratios = [o[k] / r[k] if r[k] > 0 else float("nan") for o, r in zip(ours_samples, raw_samples)]
        result[f"{name}_ratio"] = statistics.median(ratios)
        result[f"{name}_ratios"] = [round(x, 4) for x in ratios]
        result[f"{name}_raw_s"] = statistics.median(s[k] for s in raw_samples)
        result[f"{name}_ours_s"] = statistics.median(s[k] for s in ours_samples)
    for key in ("ratio", "ratios", "raw_s", "ours_s"):
        result[key] = result[f"{clock}_{key}"]
    return result
