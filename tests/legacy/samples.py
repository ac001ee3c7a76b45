"""One representative 1.x value per legacy ``Trainer`` argument of ``legacy_facts.TRAINER_ARGS`` (section A).

Shared by the shim tests and by ``reference/generate_strict.py`` (which records the real 2.6.6 reaction to the very
same call). Torch-free. ``MAPPED_CHECKS`` says how to see that an argument mapped onto its 2.x meaning; rows without a
check map onto nothing observable (dropped) or give a clear error (``NO_EQUIVALENT``).
"""

TRAINER_SAMPLES = {
    "gpus": 0, "tpu_cores": 8, "ipus": 1, "num_processes": 1, "auto_select_gpus": False,
    "distributed_backend": "ddp", "plugins": "ddp_sharded", "amp_backend": "native", "amp_level": "O2",
    "resume_from_checkpoint": "old.ckpt", "checkpoint_callback": False, "progress_bar_refresh_rate": 0,
    "process_position": 1, "weights_summary": None, "flush_logs_every_n_steps": 10, "log_gpu_memory": "all",
    "stochastic_weight_avg": True, "terminate_on_nan": True, "track_grad_norm": 2, "replace_sampler_ddp": False,
    "reload_dataloaders_every_epoch": True, "multiple_trainloader_mode": "max_size_cycle", "auto_lr_find": True,
    "auto_scale_batch_size": "binsearch", "move_metrics_to_cpu": False, "prepare_data_per_node": False,
    "truncated_bptt_steps": 2, "weights_save_path": "weights", "max_steps": None, "accumulate_grad_batches": {0: 2},
    "automatic_optimization": False, "enable_pl_optimizer": True, "profiler": True, "overfit_pct": 0.1,
    "row_log_interval": 10, "log_save_interval": 100, "early_stop_callback": True,
}

# Arguments with no 2.x equivalent at run time: building the Trainer is a clear error naming the way out.
NO_EQUIVALENT = {
    "tpu_cores": "TPU", "ipus": "lightning-graphcore", "plugins": "fsdp",
    "stochastic_weight_avg": "StochasticWeightAveraging", "truncated_bptt_steps": "manual optimization",
    "early_stop_callback": "EarlyStopping", "weights_save_path": "ModelCheckpoint",
    "amp_level": "amp_backend='apex'",  # 1.9.5 raised too unless amp_backend='apex' (removed in 2.0)
}


def _callbacks_of(trainer, name):
    return [c for c in trainer.callbacks if type(c).__name__ == name]


# name -> predicate on the built Trainer that holds when the 1.x meaning was applied.
MAPPED_CHECKS = {
    "gpus": lambda t: type(t.accelerator).__name__ == "CPUAccelerator",
    "num_processes": lambda t: type(t.accelerator).__name__ == "CPUAccelerator" and t.num_devices == 1,
    "distributed_backend": lambda t: type(t.strategy).__name__ == "DDPStrategy",
    "resume_from_checkpoint": lambda t: t._legacy_settings.fit_ckpt_path == "old.ckpt",
    "checkpoint_callback": lambda t: t.checkpoint_callback is None,
    "progress_bar_refresh_rate": lambda t: t.progress_bar_callback is None,
    "process_position": lambda t: _callbacks_of(t, "TQDMProgressBar")[0].process_position == 1,
    "weights_summary": lambda t: not _callbacks_of(t, "ModelSummary") and not _callbacks_of(t, "RichModelSummary"),
    "log_gpu_memory": lambda t: _callbacks_of(t, "DeviceStatsMonitor") != [],
    "terminate_on_nan": lambda t: t._detect_anomaly is True,
    "track_grad_norm": lambda t: t._legacy_settings.track_grad_norm == 2,
    "replace_sampler_ddp": lambda t: t._use_distributed_sampler is False,
    "reload_dataloaders_every_epoch": lambda t: t.reload_dataloaders_every_n_epochs == 1,
    "auto_lr_find": lambda t: t._legacy_settings.auto_lr_find is True,
    "auto_scale_batch_size": lambda t: t._legacy_settings.auto_scale_batch_size == "binsearch",
    "prepare_data_per_node": lambda t: t._legacy_settings.prepare_data_per_node is False,
    "max_steps": lambda t: t.max_steps == -1,
    "accumulate_grad_batches": lambda t: _callbacks_of(t, "GradientAccumulationScheduler") != [],
    "automatic_optimization": lambda t: t._legacy_settings.automatic_optimization is False,
    "profiler": lambda t: type(t.profiler).__name__ == "SimpleProfiler",
    "overfit_pct": lambda t: t.overfit_batches == 0.1,
    "row_log_interval": lambda t: t.log_every_n_steps == 10,
}
