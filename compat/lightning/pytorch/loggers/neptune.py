"""``NeptuneLogger``: kept importable for old code; Neptune's service has shut down, so (as in Lightning 2.6)
constructing it raises an error that points to the loggers still available."""
from typing import Any


class NeptuneLogger:
    """Neptune has been shut down; constructing this logger raises ``RuntimeError``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise RuntimeError(
            "`NeptuneLogger` cannot be used: the Neptune service has been shut down and Lightning 2.6 no longer"
            " supports it. Switch to another logger, e.g. `TensorBoardLogger`, `CSVLogger`, `WandbLogger`,"
            " `MLFlowLogger` or `LitLogger`."
        )
