"""How every benchmark is timed: raw and ours alternate in rounds, one thread, medians of per-round ratios.

Torch-free so that the runner can import it without paying for torch.
"""
import gc
import statistics
import time
from typing import Callable


def interleaved(raw: Callable[[], object], ours: Callable[[], object], rounds: int, warmup: int = 1) -> dict:
    """Time ``raw`` and ``ours`` alternately (the order flips every round, so a load spike on a shared machine
    hits both alike) after ``warmup`` untimed calls of each. The headline ``ratio`` is the median of the
    per-round ratios ours / raw; the median times of each are kept too."""
    if rounds < 1:
        raise ValueError(f"rounds must be >= 1, got {rounds}")
    for _ in range(warmup):
        raw()
        ours()
    raw_times, ours_times = [], []
    for r in range(rounds):
        order = [(raw, raw_times), (ours, ours_times)]
        if r % 2:
            order.reverse()
        for fn, times in order:
            gc.collect()
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    ratios = [o / r for o, r in zip(ours_times, raw_times)]
    return {
        "ratio": statistics.median(ratios),
        "raw_s": statistics.median(raw_times),
        "ours_s": statistics.median(ours_times),
        "rounds": rounds,
        "ratios": [round(x, 4) for x in ratios],
    }
