"""``lightning.fabric.utilities.spike``: loss-spike detection (the Trainer callback's classes; Fabric calls
``SpikeDetection.on_train_batch_end`` itself)."""
from lightning.pytorch.callbacks.spike import SpikeDetection, TrainingSpikeException

__all__ = ["SpikeDetection", "TrainingSpikeException"]
