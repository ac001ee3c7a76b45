"""``TQDMProgressBar``, the default progress bar: tqdm bars on stdout for sanity check, training (with the
validation bar below it), validation, test and predict.

Redraws are throttled: the counter advances every ``refresh_rate`` batches, but the bar is redrawn (and the metrics
in its postfix are read, which may copy them off the device) at most every ``REDRAW_INTERVAL_S`` seconds and at the
last batch, so a fast loop pays almost nothing per step. ``tqdm`` itself is imported on first use.
"""
import math
import os
import sys
import time
from typing import Any, Optional, Union

from lightning.fabric.utilities.rank_zero import rank_zero_debug
from lightning.pytorch.callbacks.progress.progress_bar import ProgressBar
from lightning.pytorch.utilities.types import STEP_OUTPUT  # noqa: F401 - public at this path in 2.6.6

_PAD_SIZE = 5
_tqdm_class: Any = None


def _make_tqdm_class() -> type:
    """Build ``Tqdm`` (a tqdm subclass whose numbers are padded to a fixed width so the postfix does not jitter)."""
    from tqdm import tqdm as base

    class Tqdm(base):
        @staticmethod
        def format_num(n: Union[int, float, str]) -> str:
            pad = isinstance(n, (float, str))
            text = n if isinstance(n, str) else base.format_num(n)
            if not pad or "e" in text:
                return text
            if "." not in text and len(text) < _PAD_SIZE:
                try:
                    float(text)
                except ValueError:
                    return text
                text += "."
            return text + "0" * (_PAD_SIZE - len(text))

    Tqdm.__module__ = __name__
    Tqdm.__qualname__ = "Tqdm"
    return Tqdm


def __getattr__(name: str) -> Any:
    if name == "Tqdm":
        return _tqdm()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _tqdm() -> type:
    global _tqdm_class
    if _tqdm_class is None:
        _tqdm_class = _make_tqdm_class()
    return _tqdm_class


class TQDMProgressBar(ProgressBar):
    """The default progress bar, drawn with ``tqdm`` on stdout.

    Args:
        refresh_rate: Advance the bars every this many batches; ``0`` hides them.
        process_position: Draw the bars this many lines lower (to stack with other bars).
        leave: Keep each epoch's finished training bar on screen.
    """

    BAR_FORMAT = "{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}, {rate_noinv_fmt}{postfix}]"
    REDRAW_INTERVAL_S = 0.1

    def __init__(self, refresh_rate: int = 1, process_position: int = 0, leave: bool = False) -> None:
        super().__init__()
        if not isinstance(refresh_rate, int) or refresh_rate < 0:
            raise ValueError(f"`TQDMProgressBar(refresh_rate={refresh_rate!r})`: expected an int >= 0 (0 hides the bar).")
        self._refresh_rate = self._resolve_refresh_rate(refresh_rate)
        self._process_position = process_position
        self._enabled = True
        self._leave = leave
        self._train_progress_bar: Any = None
        self._val_progress_bar: Any = None
        self._test_progress_bar: Any = None
        self._predict_progress_bar: Any = None
        self._last_redraw: dict[int, float] = {}

    def __getstate__(self) -> dict:
        return {key: None if key.endswith("_progress_bar") else value for key, value in vars(self).items()}

    def _bar(self, attribute: str) -> Any:
        bar = getattr(self, attribute)
        if bar is None:
            raise TypeError(f"`{type(self).__name__}.{attribute}` has not been created yet.")
        return bar

    @property
    def train_progress_bar(self) -> Any:
        return self._bar("_train_progress_bar")

    @train_progress_bar.setter
    def train_progress_bar(self, bar: Any) -> None:
        self._train_progress_bar = bar

    @property
    def val_progress_bar(self) -> Any:
        return self._bar("_val_progress_bar")

    @val_progress_bar.setter
    def val_progress_bar(self, bar: Any) -> None:
        self._val_progress_bar = bar

    @property
    def test_progress_bar(self) -> Any:
        return self._bar("_test_progress_bar")

    @test_progress_bar.setter
    def test_progress_bar(self, bar: Any) -> None:
        self._test_progress_bar = bar

    @property
    def predict_progress_bar(self) -> Any:
        return self._bar("_predict_progress_bar")

    @predict_progress_bar.setter
    def predict_progress_bar(self, bar: Any) -> None:
        self._predict_progress_bar = bar

    @property
    def refresh_rate(self) -> int:
        return self._refresh_rate

    @property
    def process_position(self) -> int:
        return self._process_position

    @property
    def is_enabled(self) -> bool:
        return self._enabled and self.refresh_rate > 0

    @property
    def is_disabled(self) -> bool:
        return not self.is_enabled

    def disable(self) -> None:
        self._enabled = False

    def enable(self) -> None:
        self._enabled = True

    # ------------------------------------------------------------------ bar factories (override to customise)
    def _new_bar(self, description: str, position: int, leave: bool, **kwargs: Any) -> Any:
        return _tqdm()(
            desc=description,
            position=position,
            disable=self.is_disabled,
            leave=leave,
            dynamic_ncols=True,
            file=sys.stdout,
            bar_format=self.BAR_FORMAT,
            **kwargs,
        )

    def init_sanity_tqdm(self) -> Any:
        """The bar of the validation sanity check."""
        return self._new_bar(self.sanity_check_description, 2 * self.process_position, leave=False)

    def init_train_tqdm(self) -> Any:
        """The training bar (one per fit, reset each epoch; one per epoch with ``leave=True``)."""
        return self._new_bar(self.train_description, 2 * self.process_position, leave=True, smoothing=0)

    def init_predict_tqdm(self) -> Any:
        return self._new_bar(self.predict_description, 2 * self.process_position, leave=True, smoothing=0)

    def init_validation_tqdm(self) -> Any:
        """The validation bar: below the training bar during fit, on its own line for ``trainer.validate``."""
        below_train_bar = self.trainer.state.fn != "validate"
        return self._new_bar(
            self.validation_description, 2 * self.process_position + below_train_bar, leave=not below_train_bar
        )

    def init_test_tqdm(self) -> Any:
        return self._new_bar("Testing", 2 * self.process_position, leave=True)

    # ------------------------------------------------------------------ hooks
    def on_sanity_check_start(self, *_: Any) -> None:
        self.val_progress_bar = self.init_sanity_tqdm()
        self.train_progress_bar = _tqdm()(disable=True)  # placeholder so `print` finds no active training bar

    def on_sanity_check_end(self, *_: Any) -> None:
        self.val_progress_bar.close()
        self.train_progress_bar.close()

    def on_train_start(self, *_: Any) -> None:
        self.train_progress_bar = self.init_train_tqdm()

    def on_train_epoch_start(self, trainer: Any, *_: Any) -> None:
        if self._leave:
            self.train_progress_bar = self.init_train_tqdm()
        self._restart(self.train_progress_bar, self.total_train_batches, f"Epoch {trainer.current_epoch}")

    def on_train_batch_end(self, trainer: Any, pl_module: Any, outputs: Any, batch: Any, batch_idx: int) -> None:
        bar = self._train_progress_bar
        if bar is not None and self._advance(bar, batch_idx + 1):
            bar.set_postfix(self.get_metrics(trainer, pl_module), refresh=False)
            bar.refresh()

    def on_train_epoch_end(self, trainer: Any, pl_module: Any) -> None:
        if not self.train_progress_bar.disable:
            self.train_progress_bar.set_postfix(self.get_metrics(trainer, pl_module))
        if self._leave:
            self.train_progress_bar.close()

    def on_train_end(self, *_: Any) -> None:
        self.train_progress_bar.close()

    def on_validation_start(self, trainer: Any, pl_module: Any) -> None:
        if not trainer.sanity_checking:
            self.val_progress_bar = self.init_validation_tqdm()

    def on_validation_batch_start(
        self, trainer: Any, pl_module: Any, batch: Any, batch_idx: int, dataloader_idx: int = 0
    ) -> None:
        if self.has_dataloader_changed(dataloader_idx):
            desc = self.sanity_check_description if trainer.sanity_checking else self.validation_description
            total = self.total_val_batches_current_dataloader
            self._restart(self.val_progress_bar, total, f"{desc} DataLoader {dataloader_idx}")

    def on_validation_batch_end(
        self, trainer: Any, pl_module: Any, outputs: Any, batch: Any, batch_idx: int, dataloader_idx: int = 0
    ) -> None:
        if self._val_progress_bar is not None and self._advance(self._val_progress_bar, batch_idx + 1):
            self._val_progress_bar.refresh()

    def on_validation_end(self, trainer: Any, pl_module: Any) -> None:
        self.val_progress_bar.close()
        self.reset_dataloader_idx_tracker()
        if self._train_progress_bar is not None and trainer.state.fn == "fit":
            self.train_progress_bar.set_postfix(self.get_metrics(trainer, pl_module))

    def on_test_start(self, trainer: Any, pl_module: Any) -> None:
        self.test_progress_bar = self.init_test_tqdm()

    def on_test_batch_start(
        self, trainer: Any, pl_module: Any, batch: Any, batch_idx: int, dataloader_idx: int = 0
    ) -> None:
        if self.has_dataloader_changed(dataloader_idx):
            total = self.total_test_batches_current_dataloader
            self._restart(self.test_progress_bar, total, f"{self.test_description} DataLoader {dataloader_idx}")

    def on_test_batch_end(
        self, trainer: Any, pl_module: Any, outputs: Any, batch: Any, batch_idx: int, dataloader_idx: int = 0
    ) -> None:
        if self._test_progress_bar is not None and self._advance(self._test_progress_bar, batch_idx + 1):
            self._test_progress_bar.refresh()

    def on_test_end(self, trainer: Any, pl_module: Any) -> None:
        self.test_progress_bar.close()
        self.reset_dataloader_idx_tracker()

    def on_predict_start(self, trainer: Any, pl_module: Any) -> None:
        self.predict_progress_bar = self.init_predict_tqdm()

    def on_predict_batch_start(
        self, trainer: Any, pl_module: Any, batch: Any, batch_idx: int, dataloader_idx: int = 0
    ) -> None:
        if self.has_dataloader_changed(dataloader_idx):
            total = self.total_predict_batches_current_dataloader
            self._restart(self.predict_progress_bar, total, f"{self.predict_description} DataLoader {dataloader_idx}")

    def on_predict_batch_end(
        self, trainer: Any, pl_module: Any, outputs: Any, batch: Any, batch_idx: int, dataloader_idx: int = 0
    ) -> None:
        if self._predict_progress_bar is not None and self._advance(self._predict_progress_bar, batch_idx + 1):
            self._predict_progress_bar.refresh()

    def on_predict_end(self, trainer: Any, pl_module: Any) -> None:
        self.predict_progress_bar.close()
        self.reset_dataloader_idx_tracker()

    def on_exception(self, trainer: Any, pl_module: Any, exception: BaseException) -> None:
        for bar in (self._train_progress_bar, self._val_progress_bar, self._test_progress_bar,
                    self._predict_progress_bar):
            if bar is not None:
                bar.close()

    def print(self, *args: Any, sep: str = " ", **kwargs: Any) -> None:
        """Print through the active bar (``tqdm.write``) so the bar is redrawn below the message."""
        for bar in (self._train_progress_bar, self._val_progress_bar, self._test_progress_bar,
                    self._predict_progress_bar):
            if bar is not None and not bar.disable:
                bar.write(sep.join(map(str, args)), **kwargs)
                return

    # ------------------------------------------------------------------ drawing helpers
    def _restart(self, bar: Any, total: Optional[Union[int, float]], description: str) -> None:
        bar.reset()
        bar.total = convert_inf(total)
        bar.initial = 0
        bar.set_description(description)
        self._last_redraw[id(bar)] = 0.0

    def _should_update(self, current: int, total: Optional[Union[int, float]]) -> bool:
        return self.is_enabled and (current % self.refresh_rate == 0 or current == total)

    def _advance(self, bar: Any, current: int) -> bool:
        """Move ``bar`` to ``current`` on refresh-rate batches; True when it is also time to redraw it."""
        if bar.disable or not self._should_update(current, bar.total):
            return False
        bar.n = current
        now = time.monotonic()
        if current == bar.total or now - self._last_redraw.get(id(bar), 0.0) >= self.REDRAW_INTERVAL_S:
            self._last_redraw[id(bar)] = now
            return True
        return False

    @staticmethod
    def _resolve_refresh_rate(refresh_rate: int) -> int:
        if os.getenv("COLAB_GPU") and refresh_rate == 1:
            rank_zero_debug("Colab detected: drawing the progress bar every 20 batches.")
            return 20
        if "TQDM_MINITERS" in os.environ:
            return max(int(os.environ["TQDM_MINITERS"]), refresh_rate)
        return refresh_rate


def convert_inf(x: Optional[Union[int, float]]) -> Optional[Union[int, float]]:
    """tqdm wants ``None`` for an unknown length rather than ``inf`` or ``nan``."""
    if x is None or math.isinf(x) or math.isnan(x):
        return None
    return x
