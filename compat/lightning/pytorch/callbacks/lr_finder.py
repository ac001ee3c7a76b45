"""``LearningRateFinder``: run the learning-rate range test at the start of fit (see ``lightning.pytorch.tuner``)."""
from typing import Any, Optional

from lightning.pytorch.callbacks.callback import Callback
from lightning.pytorch.tuner.lr_finder import _lr_find
from lightning.pytorch.utilities.exceptions import _TunerExitException
from lightning.pytorch.utilities.seed import isolate_rng


class LearningRateFinder(Callback):
    """Finds a learning rate in ``on_fit_start`` and (``update_attr``) sets it on the model and its optimizer
    before training proceeds; the result is in ``optimal_lr`` (an ``_LRFinder``). Override ``on_fit_start`` /
    call ``lr_find`` from another hook to re-run it, e.g. at given epochs."""

    SUPPORTED_MODES = ("linear", "exponential")

    def __init__(self, min_lr: float = 1e-8, max_lr: float = 1, num_training_steps: int = 100,
                 mode: str = "exponential", early_stop_threshold: Optional[float] = 4.0, update_attr: bool = True,
                 attr_name: str = "") -> None:
        mode = mode.lower()
        if mode not in self.SUPPORTED_MODES:
            raise ValueError(f"`mode` should be either of {self.SUPPORTED_MODES}, got {mode!r}")
        self._min_lr = min_lr
        self._max_lr = max_lr
        self._num_training_steps = num_training_steps
        self._mode = mode
        self._early_stop_threshold = early_stop_threshold
        self._update_attr = update_attr
        self._attr_name = attr_name
        self._early_exit = False  # set by the Tuner: stop the trainer call after the search
        self.optimal_lr: Any = None

    def lr_find(self, trainer: Any, pl_module: Any) -> None:
        with isolate_rng():  # the search must not change the random stream the real training sees
            self.optimal_lr = _lr_find(trainer, pl_module, min_lr=self._min_lr, max_lr=self._max_lr,
                                       num_training=self._num_training_steps, mode=self._mode,
                                       early_stop_threshold=self._early_stop_threshold, update_attr=self._update_attr,
                                       attr_name=self._attr_name)
        if self._early_exit:
            raise _TunerExitException()

    def on_fit_start(self, trainer: Any, pl_module: Any) -> None:
        self.lr_find(trainer, pl_module)
