"""``Timer``: stop training after a wall-clock duration, and report how long each stage took."""
import re
import time
from datetime import timedelta
from typing import Any, Dict, Optional, Union

from lightning.fabric.utilities.exceptions import MisconfigurationException
from lightning.fabric.utilities.rank_zero import rank_zero_info
from lightning.pytorch.callbacks.callback import Callback
from lightning.pytorch.trainer.states import RunningStage
from lightning.pytorch.utilities.enums import LightningEnum


class Interval(LightningEnum):
    step = "step"
    epoch = "epoch"


def _parse_duration(duration: Union[str, timedelta, Dict[str, int], None]) -> Optional[float]:
    if isinstance(duration, str):
        found = re.fullmatch(r"(\d+):(\d\d):(\d\d):(\d\d)", duration.strip())
        if not found:
            raise MisconfigurationException(
                f"`Timer(duration={duration!r})` is not a valid duration. Expected a string in the format DD:HH:MM:SS."
            )
        days, hours, minutes, seconds = (int(g) for g in found.groups())
        duration = timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    elif isinstance(duration, dict):
        duration = timedelta(**duration)
    return duration.total_seconds() if duration is not None else None


class Timer(Callback):
    """Stop ``fit`` once ``duration`` has elapsed (checked after every step, or every epoch with
    ``interval="epoch"``). ``duration`` is a ``timedelta``, a dict of ``timedelta`` arguments, or ``"DD:HH:MM:SS"``.

    The training time is saved in checkpoints, so a resumed run continues counting from there.
    """

    def __init__(
        self,
        duration: Optional[Union[str, timedelta, Dict[str, int]]] = None,
        interval: str = Interval.step,
        verbose: bool = True,
    ) -> None:
        super().__init__()
        if interval not in set(Interval):
            raise MisconfigurationException(
                f"Unsupported parameter value `Timer(interval={interval})`. Possible choices are: "
                f"{', '.join(i.value for i in Interval)}"
            )
        self._duration = _parse_duration(duration)
        self._interval = interval
        self._verbose = verbose
        self._start_time: Dict[RunningStage, Optional[float]] = dict.fromkeys(RunningStage)
        self._end_time: Dict[RunningStage, Optional[float]] = dict.fromkeys(RunningStage)
        self._offset = 0.0  # training seconds from before a resume

    def start_time(self, stage: str = RunningStage.TRAINING) -> Optional[float]:
        return self._start_time[RunningStage(stage)]

    def end_time(self, stage: str = RunningStage.TRAINING) -> Optional[float]:
        return self._end_time[RunningStage(stage)]

    def time_elapsed(self, stage: str = RunningStage.TRAINING) -> float:
        stage = RunningStage(stage)
        start, end = self._start_time[stage], self._end_time[stage]
        offset = self._offset if stage == RunningStage.TRAINING else 0
        if start is None:
            return offset
        return (time.monotonic() if end is None else end) - start + offset

    def time_remaining(self, stage: str = RunningStage.TRAINING) -> Optional[float]:
        return None if self._duration is None else self._duration - self.time_elapsed(stage)

    def _mark(self, table: Dict[RunningStage, Optional[float]], stage: RunningStage) -> None:
        table[stage] = time.monotonic()

    def on_train_start(self, trainer: Any, pl_module: Any) -> None:
        self._mark(self._start_time, RunningStage.TRAINING)

    def on_train_end(self, trainer: Any, pl_module: Any) -> None:
        self._mark(self._end_time, RunningStage.TRAINING)

    def on_validation_start(self, trainer: Any, pl_module: Any) -> None:
        self._mark(self._start_time, RunningStage.VALIDATING)

    def on_validation_end(self, trainer: Any, pl_module: Any) -> None:
        self._mark(self._end_time, RunningStage.VALIDATING)

    def on_test_start(self, trainer: Any, pl_module: Any) -> None:
        self._mark(self._start_time, RunningStage.TESTING)

    def on_test_end(self, trainer: Any, pl_module: Any) -> None:
        self._mark(self._end_time, RunningStage.TESTING)

    def on_fit_start(self, trainer: Any, *args: Any, **kwargs: Any) -> None:
        if self._duration is not None:
            self._check_time_remaining(trainer)  # a resumed run may already be out of time

    def on_train_batch_end(self, trainer: Any, *args: Any, **kwargs: Any) -> None:
        if self._interval == Interval.step and self._duration is not None:
            self._check_time_remaining(trainer)

    def on_train_epoch_end(self, trainer: Any, *args: Any, **kwargs: Any) -> None:
        if self._interval == Interval.epoch and self._duration is not None:
            self._check_time_remaining(trainer)

    def state_dict(self) -> Dict[str, Any]:
        return {"time_elapsed": {stage.value: self.time_elapsed(stage) for stage in RunningStage}}

    def load_state_dict(self, state_dict: Dict[str, Any]) -> None:
        self._offset = state_dict.get("time_elapsed", {}).get(RunningStage.TRAINING.value, 0)

    def _check_time_remaining(self, trainer: Any) -> None:
        should_stop = trainer.strategy.broadcast(self.time_elapsed() >= self._duration)
        trainer.should_stop = trainer.should_stop or should_stop
        if should_stop and self._verbose:
            elapsed = timedelta(seconds=int(self.time_elapsed(RunningStage.TRAINING)))
            rank_zero_info(f"Time limit reached. Elapsed time is {elapsed}. Signaling Trainer to stop.")
