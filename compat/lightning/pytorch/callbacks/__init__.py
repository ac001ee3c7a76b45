"""Callbacks shipped with Lightning (imported on first use, to keep ``import lightning`` light)."""

from lightning.fabric.utilities.lazy import lazy_exports
from lightning.pytorch.callbacks.callback import Callback

_HOMES = {
    "BackboneFinetuning": "finetuning",
    "BaseFinetuning": "finetuning",
    "BasePredictionWriter": "prediction_writer",
    "BatchSizeFinder": "batch_size_finder",
    "Checkpoint": "checkpoint",
    "DeviceStatsMonitor": "device_stats_monitor",
    "EarlyStopping": "early_stopping",
    "EMAWeightAveraging": "weight_averaging",
    "GradientAccumulationScheduler": "gradient_accumulation_scheduler",
    "LambdaCallback": "lambda_function",
    "LearningRateFinder": "lr_finder",
    "LearningRateMonitor": "lr_monitor",
    "ModelCheckpoint": "model_checkpoint",
    "ModelPruning": "pruning",
    "ModelSummary": "model_summary",
    "OnExceptionCheckpoint": "on_exception_checkpoint",
    "ProgressBar": "progress",
    "RichModelSummary": "rich_model_summary",
    "RichProgressBar": "progress",
    "SpikeDetection": "spike",
    "StochasticWeightAveraging": "stochastic_weight_avg",
    "TQDMProgressBar": "progress",
    "ThroughputMonitor": "throughput_monitor",
    "Timer": "timer",
    "WeightAveraging": "weight_averaging",
}

__all__ = ["Callback", *sorted(_HOMES)]


__getattr__, __dir__ = lazy_exports(__name__, _HOMES)
