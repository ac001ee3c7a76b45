"""Fabric's loggers: ``fabric.log`` / ``fabric.log_dict`` write to these; the Trainer's loggers of the same names
subclass them (each imported on first use)."""
from lightning.fabric.utilities.lazy import lazy_exports

_HOMES = {"CSVLogger": "csv_logs", "Logger": "logger", "TensorBoardLogger": "tensorboard"}
__all__ = ["CSVLogger", "Logger", "TensorBoardLogger"]
__getattr__, __dir__ = lazy_exports(__name__, _HOMES)
