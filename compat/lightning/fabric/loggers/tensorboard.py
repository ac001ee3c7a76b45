"""Fabric's ``TensorBoardLogger``: event files under ``<root_dir>/<name>/version_N`` (the Trainer's writer)."""
import os
from typing import Any, Optional, Union

from lightning.pytorch.loggers.tensorboard import TensorBoardLogger as _TrainerTensorBoardLogger


class TensorBoardLogger(_TrainerTensorBoardLogger):
    """Log metrics and hyperparameters to TensorBoard under ``os.path.join(root_dir, name, version)``.

    Args:
        root_dir: Folder that holds the experiments.
        name: Experiment folder name (default ``"lightning_logs"``).
        version: An int gives ``version_<int>``, a string is the folder name; ``None`` takes the next free int.
        default_hp_metric: Log ``hp_metric = -1`` with the hyperparameters when no metric is given.
        prefix: Put in front of every metric name, joined with ``-``.
        sub_dir: An extra folder level inside the version folder.
        **kwargs: Passed on to ``SummaryWriter``.
    """

    def __init__(self, root_dir: Union[str, os.PathLike], name: Optional[str] = "lightning_logs",
                 version: Optional[Union[int, str]] = None, default_hp_metric: bool = True, prefix: str = "",
                 sub_dir: Optional[Union[str, os.PathLike]] = None, **kwargs: Any) -> None:
        super().__init__(save_dir=root_dir, name=name, version=version, default_hp_metric=default_hp_metric,
                         prefix=prefix, sub_dir=sub_dir, **kwargs)
