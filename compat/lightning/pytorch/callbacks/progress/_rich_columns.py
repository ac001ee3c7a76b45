"""The ``rich`` pieces of ``RichProgressBar`` (imported only when a rich bar is drawn): a ``Progress`` that accepts
infinite totals, the bar column that pulses for them, batches done, elapsed and remaining time, speed, and the
metrics text shown on the training bar."""
import math
from datetime import timedelta
from typing import Any, Callable, Optional, Union

from rich.progress import BarColumn, Progress, ProgressColumn, Task, TaskID
from rich.progress_bar import ProgressBar as _RichBar
from rich.style import Style
from rich.text import Text


class CustomInfiniteTask(Task):
    """A rich ``Task`` without an end (a loader of unknown length): it never estimates the time remaining."""

    @property
    def time_remaining(self) -> Optional[float]:
        return None


class CustomProgress(Progress):
    """``Progress`` whose tasks may have an infinite total (an iterable dataloader without a length)."""

    def add_task(self, description: str, start: bool = True, total: Optional[float] = 100.0, completed: int = 0,
                 visible: bool = True, **fields: Any) -> TaskID:
        if total is not None and not math.isfinite(total):
            total = None  # rich's "unknown length"
        return super().add_task(description, start, total, completed, visible, **fields)


class CustomBarColumn(BarColumn):
    """The bar; it pulses while the total is unknown instead of staying empty."""

    def render(self, task: Task) -> _RichBar:
        unknown = task.total is None or not math.isfinite(task.total)
        return _RichBar(
            total=None if unknown else max(0.0, task.total),
            completed=max(0.0, task.completed),
            width=None if self.bar_width is None else max(1, self.bar_width),
            pulse=unknown or not task.started,
            animation_time=task.get_time(),
            style=self.style,
            complete_style=self.complete_style,
            finished_style=self.finished_style,
            pulse_style=self.pulse_style,
        )


class BatchesProcessedColumn(ProgressColumn):
    """``done/total`` (``--`` for an unknown total)."""

    def __init__(self, style: Union[str, Style]) -> None:
        self.style = style
        super().__init__()

    def render(self, task: Task) -> Text:
        total = "--" if task.total is None or task.total == float("inf") else task.total
        return Text(f"{int(task.completed)}/{total}", style=self.style)


class CustomTimeColumn(ProgressColumn):
    """``elapsed • remaining`` as ``h:mm:ss``."""

    max_refresh = 0.5

    def __init__(self, style: Union[str, Style]) -> None:
        self.style = style
        super().__init__()

    def render(self, task: Task) -> Text:
        elapsed = task.finished_time if task.finished else task.elapsed
        remaining = task.time_remaining
        elapsed_text = "-:--:--" if elapsed is None else str(timedelta(seconds=int(elapsed)))
        remaining_text = "-:--:--" if remaining is None else str(timedelta(seconds=int(remaining)))
        return Text(f"{elapsed_text} • {remaining_text}", style=self.style)


class ProcessingSpeedColumn(ProgressColumn):
    """Batches per second."""

    def __init__(self, style: Union[str, Style]) -> None:
        self.style = style
        super().__init__()

    def render(self, task: Task) -> Text:
        speed = f"{task.speed:>.2f}" if task.speed is not None else "0.00"
        return Text(f"{speed}it/s", style=self.style)


class MetricsTextColumn(ProgressColumn):
    """``name: value`` pairs, shown only on the task ``shows_metrics(task)`` selects (the training bar)."""

    def __init__(self, shows_metrics: Callable[[Task], bool], style: Union[str, Style], text_delimiter: str,
                 metrics_format: str) -> None:
        self._shows_metrics = shows_metrics
        self._metrics: dict[str, Any] = {}
        self._style = style
        self._text_delimiter = text_delimiter
        self._metrics_format = metrics_format
        super().__init__()

    def update(self, metrics: dict[str, Any]) -> None:
        self._metrics = metrics

    def render(self, task: Task) -> Text:
        if not self._shows_metrics(task):
            return Text()
        return Text(self._text_delimiter.join(self._metric_texts()), justify="left", style=self._style)

    def _metric_texts(self) -> Any:
        for name, value in self._metrics.items():
            if not isinstance(value, str):
                try:
                    value = f"{value:{self._metrics_format}}"
                except (TypeError, ValueError):
                    value = str(value)
            yield f"{name}: {value}"
