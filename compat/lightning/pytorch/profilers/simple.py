"""``SimpleProfiler``: wall-clock duration of each action; the report lists mean, calls, total and share."""
import math
import os
import time
from collections import defaultdict
from pathlib import Path
from typing import Optional, Union

from lightning.pytorch.profilers.profiler import Profiler


class SimpleProfiler(Profiler):
    """Records how long each action took (``time.perf_counter``); ``extended=True`` adds call counts and the
    share of the whole run."""

    def __init__(self, dirpath: Optional[Union[str, Path]] = None, filename: Optional[str] = None,
                 extended: bool = True) -> None:
        super().__init__(dirpath=dirpath, filename=filename)
        self.current_actions: dict = {}
        self.recorded_durations: dict = defaultdict(list)
        self.extended = extended
        self.start_time = time.perf_counter()

    def start(self, action_name: str) -> None:
        if action_name in self.current_actions:
            raise ValueError(f"Attempted to start {action_name} which has already started: stop it first.")
        self.current_actions[action_name] = time.perf_counter()

    def stop(self, action_name: str) -> None:
        end = time.perf_counter()
        if action_name not in self.current_actions:
            raise ValueError(f"Attempting to stop recording an action ({action_name}) which was never started.")
        self.recorded_durations[action_name].append(end - self.current_actions.pop(action_name))

    def _make_report_extended(self) -> tuple:
        """Rows ``(action, mean, calls, total, percent)`` by share, descending; plus total calls and duration."""
        total_duration = time.perf_counter() - self.start_time
        rows = []
        for action, durations in self.recorded_durations.items():
            total = math.fsum(durations)
            rows.append((action, total / len(durations), len(durations), total, 100.0 * total / total_duration))
        rows.sort(key=lambda row: row[4], reverse=True)
        return rows, sum(row[2] for row in rows), total_duration

    def _make_report(self) -> list:
        """Rows ``(action, mean, total)`` by mean duration, descending."""
        rows = [(a, math.fsum(d) / len(d), math.fsum(d)) for a, d in self.recorded_durations.items()]
        rows.sort(key=lambda row: row[1], reverse=True)
        return rows

    def summary(self) -> str:
        sep = os.linesep
        out = (f"{self._stage.upper()} " if self._stage is not None else "") + f"Profiler Report{sep}"
        if not self.recorded_durations:
            return out + sep
        width = max(len(k) for k in self.recorded_durations)

        def row(action: str, *cells: str) -> str:
            return f"{sep}|  {action:<{width}s}\t|" + "".join(f"  {cell:<15}\t|" for cell in cells)

        if self.extended:
            header = row("Action", "Mean duration (s)", "Num calls", "Total time (s)", "Percentage %")
        else:
            header = row("Action", "Mean duration (s)", "Total time (s)")
        rule = f"{sep}{'-' * len(header.expandtabs())}"
        out += rule + header + rule
        if self.extended:
            rows, total_calls, total_duration = self._make_report_extended()
            out += row("Total", "-", f"{total_calls}", f"{total_duration:.5}", "100 %") + rule
            for action, mean, calls, total, share in rows:
                out += row(action, f"{mean:.5}", f"{calls}", f"{total:.5}", f"{share:.5}")
        else:
            for action, mean, total in self._make_report():
                out += row(action, f"{mean:.5}", f"{total:.5}")
        return out + rule + sep
