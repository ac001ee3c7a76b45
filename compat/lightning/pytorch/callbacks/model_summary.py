"""``ModelSummary`` callback: logs the layer table (see ``lightning.pytorch.utilities.model_summary``) when ``fit``
starts, on global rank zero, through the ``logging`` module."""
import logging
from typing import Any

from lightning.pytorch.callbacks.callback import Callback
from lightning.pytorch.utilities.model_summary import ModelSummary as Summary  # noqa: F401  (the real module's alias)
from lightning.pytorch.utilities.model_summary import summarize
from lightning.pytorch.utilities.model_summary.model_summary import _format_summary_table

log = logging.getLogger(__name__)


class ModelSummary(Callback):
    """Print a summary of the module's layers at the start of ``fit``.

    Args:
        max_depth: How deep to list submodules (1: direct children, -1: all, 0: no summary).
        **summarize_kwargs: Passed on to :meth:`summarize` (e.g. ``header_style`` for the rich variant).
    """

    def __init__(self, max_depth: int = 1, **summarize_kwargs: Any) -> None:
        self._max_depth = max_depth
        self._summarize_kwargs = summarize_kwargs

    def on_fit_start(self, trainer: Any, pl_module: Any) -> None:
        if not self._max_depth:
            return
        summary = self._summary(trainer, pl_module)
        columns = summary._get_summary_data()
        if trainer.is_global_zero:
            self.summarize(
                columns,
                summary.total_parameters,
                summary.trainable_parameters,
                summary.model_size,
                summary.total_training_modes,
                total_flops=getattr(summary, "total_flops", 0),
                **self._summarize_kwargs,
            )

    def _summary(self, trainer: Any, pl_module: Any) -> Any:
        return summarize(pl_module, max_depth=self._max_depth)

    @staticmethod
    def summarize(
        summary_data: list[tuple[str, list[str]]],
        total_parameters: int,
        trainable_parameters: int,
        model_size: float,
        total_training_modes: dict[str, int],
        total_flops: int,
        **summarize_kwargs: Any,
    ) -> None:
        """Emit the table; override to show it differently (``RichModelSummary`` draws it with rich)."""
        table = _format_summary_table(
            total_parameters, trainable_parameters, model_size, total_training_modes, total_flops, *summary_data
        )
        log.info("\n" + table)
