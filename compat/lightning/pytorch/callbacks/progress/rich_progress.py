"""``RichProgressBar`` (and its colours, ``RichProgressBarTheme``): the progress bars drawn with ``rich``.

There is no background refresh thread: the bars are redrawn from the batch hooks at most ``refresh_rate`` times a
second, capped at ``MAX_REDRAWS_PER_S`` (a redraw recomputes every column, about a millisecond), and at the end of
each stage; the metrics are read only when a redraw is due, so a fast loop pays almost nothing per step. ``rich`` is
imported when the first bar starts.
"""
import importlib.util
import time
from dataclasses import dataclass
from typing import Any, Optional, Union

import torch

from lightning.fabric.utilities.apply_func import apply_to_collection
from lightning.pytorch.callbacks.progress.progress_bar import ProgressBar
from lightning.pytorch.callbacks.progress.tqdm_progress import convert_inf
from lightning.pytorch import _extensions
from lightning.pytorch.utilities.types import STEP_OUTPUT  # noqa: F401 - public at this path in 2.6.6

_COLUMN_CLASSES = (
    "BatchesProcessedColumn", "CustomBarColumn", "CustomProgress", "CustomTimeColumn", "MetricsTextColumn",
    "ProcessingSpeedColumn",
)


_RICH_NAMES = {"TaskID": "rich.progress", "RenderableType": "rich.console"}  # rich's own, public here in 2.6.6


def __getattr__(name: str) -> Any:
    if name in _COLUMN_CLASSES or name == "CustomInfiniteTask":  # defined on top of rich: imported when asked for
        from lightning.pytorch.callbacks.progress import _rich_columns

        return getattr(_rich_columns, name)
    if name in _RICH_NAMES:
        import importlib

        return getattr(importlib.import_module(_RICH_NAMES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass
class RichProgressBarTheme:
    """Rich styles (``"bold red"``, ``"#6206E0"``, ``Style`` objects) of each part of the bar, plus how metrics
    are separated and formatted."""

    description: Any = ""
    progress_bar: Any = "#6206E0"
    progress_bar_finished: Any = "#6206E0"
    progress_bar_pulse: Any = "#6206E0"
    batch_progress: Any = ""
    time: Any = "dim"
    processing_speed: Any = "dim underline"
    metrics: Any = "italic"
    metrics_text_delimiter: str = " "
    metrics_format: str = ".3f"


class RichProgressBar(ProgressBar):
    """Progress bars drawn with `rich <https://github.com/Textualize/rich>`_ (``pip install rich``).

    Args:
        refresh_rate: Redraws per second at most (never more than ``MAX_REDRAWS_PER_S``); ``0`` hides the bars.
        leave: Keep each epoch's finished training bar on screen.
        theme: Styles of the parts of the bar.
        console_kwargs: Passed to ``rich.reconfigure`` for the console the bars draw on.
    """

    MAX_REDRAWS_PER_S = 10

    @_extensions.constructor_arguments("RichProgressBar")
    def __init__(
        self,
        refresh_rate: int = 100,
        leave: bool = False,
        theme: RichProgressBarTheme = RichProgressBarTheme(),
        console_kwargs: Optional[dict[str, Any]] = None,
    ) -> None:
        if importlib.util.find_spec("rich") is None:
            raise ModuleNotFoundError(
                "`RichProgressBar` needs the `rich` package, which is not installed. Install it with"
                " `pip install rich`, or use the default `TQDMProgressBar`."
            )
        super().__init__()
        self._refresh_rate = refresh_rate
        self._leave = leave
        self._console: Any = None
        self._console_kwargs = console_kwargs or {}
        self._enabled = True
        self.progress: Any = None
        self._metric_component: Any = None
        self._progress_stopped = False
        self._last_redraw = 0.0
        self._train_total: Optional[float] = None  # the train task's total, read once per epoch
        self._train_seen = 0  # batches of this epoch, pushed to the task at redraws and at the epoch end
        # a subclass's get_metrics sees every training batch, as in 2.6.6 (the bar itself reads them at redraws)
        self._metrics_every_batch = type(self).get_metrics is not RichProgressBar.get_metrics
        self.theme = theme
        self._reset_progress_bar_ids()

    @property
    def refresh_rate(self) -> float:
        return self._refresh_rate

    @property
    def is_enabled(self) -> bool:
        return self._enabled and self.refresh_rate > 0

    @property
    def is_disabled(self) -> bool:
        return not self.is_enabled

    def _task(self, task_id: Any) -> Any:
        if self.progress is None or task_id is None:
            raise TypeError(f"`{type(self).__name__}`: this bar has not been created yet.")
        return self.progress.tasks[task_id]

    @property
    def train_progress_bar(self) -> Any:
        return self._task(self.train_progress_bar_id)

    @property
    def val_sanity_check_bar(self) -> Any:
        return self._task(self.val_sanity_progress_bar_id)

    @property
    def val_progress_bar(self) -> Any:
        return self._task(self.val_progress_bar_id)

    @property
    def test_progress_bar(self) -> Any:
        return self._task(self.test_progress_bar_id)

    def disable(self) -> None:
        self._enabled = False

    def enable(self) -> None:
        self._enabled = True

    # ------------------------------------------------------------------ setup of the rich Progress
    def _init_progress(self, trainer: Any) -> None:
        if not self.is_enabled or (self.progress is not None and not self._progress_stopped):
            return
        from rich import get_console, reconfigure

        from lightning.pytorch.callbacks.progress._rich_columns import CustomProgress, MetricsTextColumn

        self._reset_progress_bar_ids()
        reconfigure(**self._console_kwargs)
        self._console = get_console()
        if getattr(self._console, "_live_stack", None):
            self._console.clear_live()
        self._metric_component = MetricsTextColumn(
            self._shows_metrics, self.theme.metrics, self.theme.metrics_text_delimiter, self.theme.metrics_format
        )
        self.progress = CustomProgress(
            *self.configure_columns(trainer), self._metric_component, auto_refresh=False, console=self._console
        )
        self.progress.start()
        self._progress_stopped = False

    def configure_columns(self, trainer: Any) -> list:
        """The columns left of the metrics; override to change the layout."""
        from rich.progress import TextColumn

        from lightning.pytorch.callbacks.progress._rich_columns import (
            BatchesProcessedColumn,
            CustomBarColumn,
            CustomTimeColumn,
            ProcessingSpeedColumn,
        )

        return [
            TextColumn("[progress.description]{task.description}"),
            CustomBarColumn(
                complete_style=self.theme.progress_bar,
                finished_style=self.theme.progress_bar_finished,
                pulse_style=self.theme.progress_bar_pulse,
            ),
            BatchesProcessedColumn(style=self.theme.batch_progress),
            CustomTimeColumn(style=self.theme.time),
            ProcessingSpeedColumn(style=self.theme.processing_speed),
        ]

    def _shows_metrics(self, task: Any) -> bool:
        trainer = self._trainer
        return (
            trainer is not None
            and trainer.state.fn == "fit"
            and not trainer.sanity_checking
            and task.id == self.train_progress_bar_id
        )

    def refresh(self, hard: bool = False) -> None:
        """Redraw now when ``hard``, else only if the last redraw is at least ``1 / refresh_rate`` s old."""
        if self.progress is None:
            return
        if hard or self._redraw_due():
            self._last_redraw = time.monotonic()
            self.progress.refresh()

    def _redraw_due(self) -> bool:
        interval = 1.0 / max(min(self.refresh_rate, self.MAX_REDRAWS_PER_S), 1e-9)
        return time.monotonic() - self._last_redraw >= interval

    def _add_task(self, total: Union[int, float], description: str, visible: bool = True) -> Any:
        if self.theme.description:
            description = f"[{self.theme.description}]{description}"
        return self.progress.add_task(description, total=total, visible=visible)

    def _hide(self, task_id: Any) -> None:
        if self.progress is not None and task_id is not None:
            self.progress.update(task_id, advance=0, visible=False)

    def _update(self, task_id: Any, current: int, visible: bool = True, hard: bool = False) -> None:
        if self.progress is None or not self.is_enabled or task_id is None:
            return
        self.progress.update(task_id, completed=current, visible=visible)
        total = self.progress.tasks[task_id].total
        self.refresh(hard=hard or current == total)

    # ------------------------------------------------------------------ hooks
    def on_sanity_check_start(self, trainer: Any, pl_module: Any) -> None:
        self._init_progress(trainer)

    def on_sanity_check_end(self, trainer: Any, pl_module: Any) -> None:
        self._hide(self.val_sanity_progress_bar_id)
        self.refresh(hard=True)

    def on_train_start(self, trainer: Any, pl_module: Any) -> None:
        self._init_progress(trainer)

    def on_train_epoch_start(self, trainer: Any, pl_module: Any) -> None:
        if self.is_disabled:
            return
        self._train_total = None  # read from the task once per epoch
        self._train_seen = 0
        if self.train_progress_bar_id is not None and self._leave:
            self._stop_progress()
            self._init_progress(trainer)
        description = self._get_train_description(trainer.current_epoch)
        if self.progress is not None:
            if self.train_progress_bar_id is None:
                self.train_progress_bar_id = self._add_task(self.total_train_batches, description)
            else:
                self.progress.reset(
                    self.train_progress_bar_id,
                    total=convert_inf(self.total_train_batches),
                    description=description,
                    visible=True,
                )
        self.refresh(hard=True)

    def on_train_batch_end(self, trainer: Any, pl_module: Any, outputs: Any, batch: Any, batch_idx: int) -> None:
        if self.is_disabled or self.progress is None:
            return
        if self.train_progress_bar_id is None:
            self.train_progress_bar_id = self._add_task(
                self.total_train_batches, self._get_train_description(trainer.current_epoch)
            )
        if self._train_total is None:
            self._train_total = self.progress.tasks[self.train_progress_bar_id].total
        # the rich task is touched only when a redraw is due (or on the last batch): its update takes a lock and
        # records a speed sample, far too much to pay on every step
        self._train_seen = batch_idx + 1
        last = self._train_seen == self._train_total
        if last or self._redraw_due():
            self._update_metrics(trainer, pl_module)
            self._update(self.train_progress_bar_id, batch_idx + 1)
        elif self._metrics_every_batch:
            self._update_metrics(trainer, pl_module)

    def on_train_epoch_end(self, trainer: Any, pl_module: Any) -> None:
        if self.progress is not None and self.train_progress_bar_id is not None:
            # batches since the last redraw (an epoch can also end early: max_steps, should_stop)
            self.progress.update(self.train_progress_bar_id, completed=self._train_seen)
        self._update_metrics(trainer, pl_module)
        self.refresh(hard=True)

    def on_validation_start(self, trainer: Any, pl_module: Any) -> None:
        self._init_progress(trainer)

    def on_validation_batch_start(
        self, trainer: Any, pl_module: Any, batch: Any, batch_idx: int, dataloader_idx: int = 0
    ) -> None:
        if self.is_disabled or self.progress is None or not self.has_dataloader_changed(dataloader_idx):
            return
        total = self.total_val_batches_current_dataloader
        if trainer.sanity_checking:
            self._hide(self.val_sanity_progress_bar_id)
            self.val_sanity_progress_bar_id = self._add_task(total, self.sanity_check_description, visible=False)
        else:
            self._hide(self.val_progress_bar_id)
            self.val_progress_bar_id = self._add_task(total, self.validation_description, visible=False)
        self.refresh()

    def on_validation_batch_end(
        self, trainer: Any, pl_module: Any, outputs: Any, batch: Any, batch_idx: int, dataloader_idx: int = 0
    ) -> None:
        if self.is_disabled:
            return
        task_id = self.val_sanity_progress_bar_id if trainer.sanity_checking else self.val_progress_bar_id
        self._update(task_id, batch_idx + 1)

    def on_validation_epoch_end(self, trainer: Any, pl_module: Any) -> None:
        if self.is_enabled and self.val_progress_bar_id is not None and trainer.state.fn == "fit":
            self._hide(self.val_progress_bar_id)
            self.refresh(hard=True)

    def on_validation_end(self, trainer: Any, pl_module: Any) -> None:
        if trainer.state.fn == "fit":
            self._update_metrics(trainer, pl_module)
        self.reset_dataloader_idx_tracker()

    def on_test_start(self, trainer: Any, pl_module: Any) -> None:
        self._init_progress(trainer)

    def on_test_batch_start(
        self, trainer: Any, pl_module: Any, batch: Any, batch_idx: int, dataloader_idx: int = 0
    ) -> None:
        if self.is_disabled or self.progress is None or not self.has_dataloader_changed(dataloader_idx):
            return
        self._hide(self.test_progress_bar_id)
        self.test_progress_bar_id = self._add_task(self.total_test_batches_current_dataloader, self.test_description)
        self.refresh()

    def on_test_batch_end(
        self, trainer: Any, pl_module: Any, outputs: Any, batch: Any, batch_idx: int, dataloader_idx: int = 0
    ) -> None:
        if self.is_enabled:
            self._update(self.test_progress_bar_id, batch_idx + 1)

    def on_test_end(self, trainer: Any, pl_module: Any) -> None:
        self.reset_dataloader_idx_tracker()

    def on_predict_start(self, trainer: Any, pl_module: Any) -> None:
        self._init_progress(trainer)

    def on_predict_batch_start(
        self, trainer: Any, pl_module: Any, batch: Any, batch_idx: int, dataloader_idx: int = 0
    ) -> None:
        if self.is_disabled or self.progress is None or not self.has_dataloader_changed(dataloader_idx):
            return
        self._hide(self.predict_progress_bar_id)
        self.predict_progress_bar_id = self._add_task(
            self.total_predict_batches_current_dataloader, self.predict_description
        )
        self.refresh()

    def on_predict_batch_end(
        self, trainer: Any, pl_module: Any, outputs: Any, batch: Any, batch_idx: int, dataloader_idx: int = 0
    ) -> None:
        if self.is_enabled:
            self._update(self.predict_progress_bar_id, batch_idx + 1)

    def on_predict_end(self, trainer: Any, pl_module: Any) -> None:
        self.reset_dataloader_idx_tracker()

    def teardown(self, trainer: Any, pl_module: Any, stage: str) -> None:
        self._stop_progress()

    def on_exception(self, trainer: Any, pl_module: Any, exception: BaseException) -> None:
        self._stop_progress()

    # ------------------------------------------------------------------ helpers
    def _get_train_description(self, current_epoch: int) -> str:
        description = f"Epoch {current_epoch}"
        if self.trainer.max_epochs is not None:
            description += f"/{self.trainer.max_epochs - 1}"
        width = len(self.validation_description)
        return f"{description:{width}}" if width > len(description) else description

    def _stop_progress(self) -> None:
        if self.progress is not None and not self._progress_stopped:
            self.progress.refresh()
            self.progress.stop()
            self._progress_stopped = True

    def _reset_progress_bar_ids(self) -> None:
        self.train_progress_bar_id: Any = None
        self.val_sanity_progress_bar_id: Any = None
        self.val_progress_bar_id: Any = None
        self.test_progress_bar_id: Any = None
        self.predict_progress_bar_id: Any = None

    def get_metrics(self, trainer: Any, pl_module: Any) -> dict[str, Any]:
        metrics = super().get_metrics(trainer, pl_module)
        return apply_to_collection(metrics, torch.Tensor, lambda t: t.item())

    def _update_metrics(self, trainer: Any, pl_module: Any) -> None:
        if self.is_enabled and self._metric_component is not None:
            self._metric_component.update(self.get_metrics(trainer, pl_module))

    def print(self, *args: Any, **kwargs: Any) -> None:
        """Print above the bars (through the rich console) so they are redrawn below the message."""
        if self._console is not None and self.progress is not None and not self._progress_stopped:
            self._console.print(*args, **kwargs)
        else:
            print(*args, **kwargs)

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["progress"] = None
        state["_console"] = None
        return state
