"""``AdvancedProfiler``: one ``cProfile.Profile`` per action; the report is pstats' cumulative listing."""
import cProfile
import io
import os
import pstats
from collections import defaultdict
from pathlib import Path
from typing import Optional, Union

from lightning.pytorch.profilers.profiler import Profiler


class AdvancedProfiler(Profiler):
    """Function-level timings per action. ``line_count_restriction`` limits each listing (an int: lines; a float
    in [0, 1]: a fraction); ``dump_stats=True`` also writes each action's raw ``.prof`` file into ``dirpath``."""

    def __init__(self, dirpath: Optional[Union[str, Path]] = None, filename: Optional[str] = None,
                 line_count_restriction: float = 1.0, dump_stats: bool = False) -> None:
        super().__init__(dirpath=dirpath, filename=filename)
        self.profiled_actions: dict = defaultdict(cProfile.Profile)
        self.line_count_restriction = line_count_restriction
        self.dump_stats = dump_stats

    def start(self, action_name: str) -> None:
        # cProfile allows one active profile per thread: nested actions pause the outer one
        for profile in self.profiled_actions.values():
            profile.disable()
        self.profiled_actions[action_name].enable()

    def stop(self, action_name: str) -> None:
        profile = self.profiled_actions.get(action_name)
        if profile is None:
            raise ValueError(f"Attempting to stop recording an action ({action_name}) which was never started.")
        profile.disable()

    def _dump_stats(self, action_name: str, profile: cProfile.Profile) -> None:
        if not self.dirpath:
            raise ValueError("`AdvancedProfiler(dump_stats=True)` needs a `dirpath` (or a Trainer log_dir) to "
                             "write to.")
        os.makedirs(self.dirpath, exist_ok=True)
        profile.dump_stats(os.path.join(self.dirpath, self._prepare_filename(action_name=action_name,
                                                                              extension=".prof")))

    def summary(self) -> str:
        stats = {}
        for action_name, profile in self.profiled_actions.items():
            if self.dump_stats:
                self._dump_stats(action_name, profile)
            stream = io.StringIO()
            pstats.Stats(profile, stream=stream).strip_dirs().sort_stats("cumulative").print_stats(
                self.line_count_restriction
            )
            stats[action_name] = stream.getvalue()
        return self._stats_to_str(stats)

    def teardown(self, stage: Optional[str]) -> None:
        super().teardown(stage=stage)
        self.profiled_actions.clear()

    def __reduce__(self) -> tuple:
        # cProfile objects cannot be pickled (spawn launchers pickle the trainer): rebuild empty
        return (self.__class__, (), {"dirpath": self.dirpath, "filename": self.filename,
                                     "line_count_restriction": self.line_count_restriction})
