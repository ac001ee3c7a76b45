"""``DeviceStatsMonitor``: logs the accelerator's device statistics (memory, utilisation; ``psutil`` CPU stats)
around every train / validation / test batch, at the Trainer's logging interval."""
from typing import Any, Optional

from lightning.pytorch.callbacks.callback import Callback
from lightning.pytorch.utilities.types import STEP_OUTPUT  # noqa: F401  (public here in 2.x)
from lightning.pytorch.utilities.exceptions import MisconfigurationException


def _psutil_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("psutil") is not None


class DeviceStatsMonitor(Callback):
    """``cpu_stats=None`` logs CPU stats only when the device is the CPU; ``True`` adds them for GPUs too;
    ``False`` never logs them."""

    def __init__(self, cpu_stats: Optional[bool] = None) -> None:
        self._cpu_stats = cpu_stats

    def setup(self, trainer: Any, pl_module: Any, stage: str) -> None:
        if stage != "fit":
            return
        if not trainer.loggers:
            raise MisconfigurationException("Cannot use `DeviceStatsMonitor` callback with `Trainer(logger=False)`: "
                                            "it logs through the Trainer's loggers.")
        if self._cpu_stats is None and trainer.strategy.root_device.type == "cpu" and not _psutil_available():
            raise ModuleNotFoundError("`DeviceStatsMonitor` cannot log CPU stats as `psutil` is not installed "
                                      "(pip install psutil), or pass `cpu_stats=False`.")

    def _get_and_log_device_stats(self, trainer: Any, key: str) -> None:
        if not trainer._metric_flow.should_update_logs:
            return
        device = trainer.strategy.root_device
        if self._cpu_stats is False and device.type == "cpu":
            return
        stats = trainer.accelerator.get_device_stats(device)
        if self._cpu_stats and device.type != "cpu":
            from lightning.pytorch.accelerators.cpu import CPUAccelerator

            stats.update(CPUAccelerator().get_device_stats(device))
        for logger in trainer.loggers:
            prefix = f"{type(self).__qualname__}.{key}{logger.group_separator}"
            logger.log_metrics({prefix + k: v for k, v in stats.items()},
                               step=trainer.fit_loop.epoch_loop._batches_that_stepped)

    def on_train_batch_start(self, trainer: Any, pl_module: Any, batch: Any, batch_idx: int) -> None:
        self._get_and_log_device_stats(trainer, "on_train_batch_start")

    def on_train_batch_end(self, trainer: Any, pl_module: Any, outputs: Any, batch: Any, batch_idx: int) -> None:
        self._get_and_log_device_stats(trainer, "on_train_batch_end")

    def on_validation_batch_start(self, trainer: Any, pl_module: Any, batch: Any, batch_idx: int,
                                  dataloader_idx: int = 0) -> None:
        self._get_and_log_device_stats(trainer, "on_validation_batch_start")

    def on_validation_batch_end(self, trainer: Any, pl_module: Any, outputs: Any, batch: Any, batch_idx: int,
                                dataloader_idx: int = 0) -> None:
        self._get_and_log_device_stats(trainer, "on_validation_batch_end")

    def on_test_batch_start(self, trainer: Any, pl_module: Any, batch: Any, batch_idx: int,
                            dataloader_idx: int = 0) -> None:
        self._get_and_log_device_stats(trainer, "on_test_batch_start")

    def on_test_batch_end(self, trainer: Any, pl_module: Any, outputs: Any, batch: Any, batch_idx: int,
                          dataloader_idx: int = 0) -> None:
        self._get_and_log_device_stats(trainer, "on_test_batch_end")
