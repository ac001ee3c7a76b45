"""Progress-bar callbacks: the ``ProgressBar`` base, the default ``TQDMProgressBar`` and ``RichProgressBar``."""
from lightning.pytorch.callbacks.progress.progress_bar import ProgressBar
from lightning.pytorch.callbacks.progress.rich_progress import RichProgressBar, RichProgressBarTheme
from lightning.pytorch.callbacks.progress.tqdm_progress import TQDMProgressBar

__all__ = ["ProgressBar", "RichProgressBar", "RichProgressBarTheme", "TQDMProgressBar"]
