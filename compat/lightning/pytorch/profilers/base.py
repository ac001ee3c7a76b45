"""``PassThroughProfiler``: the default profiler, which records nothing (the Trainer skips it entirely)."""
from lightning.pytorch.profilers.profiler import Profiler


class PassThroughProfiler(Profiler):
    """Records nothing; the Trainer does not even enter ``profile()`` when this is the profiler."""

    def start(self, action_name: str) -> None:
        pass

    def stop(self, action_name: str) -> None:
        pass
