"""Profilers: where time goes in a run."""
from lightning.pytorch.profilers.profiler import PassThroughProfiler, Profiler

__all__ = ["PassThroughProfiler", "Profiler"]
