"""The legacy-facts table as plain data and functions (what the runtime shim will call too).

Expected values restate rows of shared/migration-table.md, which was produced from the real 1.9.5 and 2.6.6
packages; the device rows are also checked against the real packages in test_facts_against_real.py.
"""

from __future__ import annotations

import pytest

from lit_migrate import legacy_facts as facts


@pytest.mark.parametrize("value, expected", [
    (32, "32-true"), ("32", "32-true"), (16, "16-mixed"), ("16", "16-mixed"), (64, "64-true"),
    ("bf16", "bf16-mixed"), ("16-mixed", "16-mixed"), ("bf16-true", "bf16-true"),
])
def test_precision_values_a6(value, expected):
    assert facts.map_precision(value) == expected


def test_precision_on_tpu_and_invalid_values_a6():
    assert facts.map_precision(16, on_tpu=True) == "bf16-true"
    with pytest.raises(facts.NoEquivalent, match="IPU/HPU"):
        facts.map_precision("mixed")
    with pytest.raises(facts.NoEquivalent, match="not valid"):
        facts.map_precision(8)


def test_strategy_names_a5():
    assert facts.map_strategy_name("fsdp_native") == "fsdp"
    assert facts.map_strategy_name("tpu_spawn") == "xla"
    assert facts.map_strategy_name("ddp_spawn") == "ddp_spawn"
    with pytest.raises(facts.NoEquivalent, match="DataParallel"):
        facts.map_strategy_name("dp")


def test_device_group_interactions_a1():
    translate = facts.translate_device_kwargs
    # distributed_backend wins over accelerator (1.0-1.4)
    assert translate({"distributed_backend": "ddp_spawn", "accelerator": "ddp", "gpus": 2}).trainer_kwargs == \
        {"accelerator": "cuda", "devices": 2, "strategy": "ddp_spawn"}
    # "ddp_cpu" meant CPU processes with ddp_spawn
    assert translate({"accelerator": "ddp_cpu", "num_processes": 3}).trainer_kwargs == \
        {"accelerator": "cpu", "devices": 3, "strategy": "ddp_spawn"}
    # tpu_cores=[k] was 1-based
    assert translate({"tpu_cores": [5]}).trainer_kwargs == {"accelerator": "tpu", "devices": [4]}
    # gpus wins over devices, with a caveat
    mapped = translate({"gpus": 1, "devices": 3})
    assert mapped.trainer_kwargs == {"accelerator": "cuda", "devices": 1} and mapped.caveats
    # auto_select_gpus with an int gpus picks free devices at run time
    devices = translate({"gpus": 2, "auto_select_gpus": True}).trainer_kwargs["devices"]
    assert devices == facts.ObjectSpec("lightning.pytorch.accelerators", "find_usable_cuda_devices", (2,))
    with pytest.raises(facts.NoEquivalent, match="lightning-graphcore"):
        translate({"ipus": 8})


def test_map_gpus_version_and_bad_values_a3():
    assert facts.map_gpus("2", legacy_version="1.4") == {"accelerator": "cuda", "devices": [2]}
    assert facts.map_gpus("2") == {"accelerator": "cuda", "devices": 2}
    for bad in (True, -2, "a,b", 1.5):
        with pytest.raises(facts.NoEquivalent):
            facts.map_gpus(bad)


def test_removed_flags_map_to_2x_arguments_and_callbacks_a1():
    out = facts.translate_trainer_kwargs({
        "checkpoint_callback": False, "progress_bar_refresh_rate": 10, "weights_summary": "full",
        "reload_dataloaders_every_epoch": True, "max_steps": None, "replace_sampler_ddp": False,
        "resume_from_checkpoint": "last.ckpt", "accumulate_grad_batches": {0: 2}, "max_epochs": 3,
    })
    assert out.trainer_kwargs == {"enable_checkpointing": False, "reload_dataloaders_every_n_epochs": 1,
                                  "max_steps": -1, "use_distributed_sampler": False, "max_epochs": 3}
    assert [c.name for c in out.callbacks] == ["TQDMProgressBar", "ModelSummary", "GradientAccumulationScheduler"]
    assert out.fit_kwargs == {"ckpt_path": "last.ckpt"}
    assert not out.problems


def test_unmappable_values_are_kept_with_their_advice():
    out = facts.translate_trainer_kwargs({"amp_backend": "apex", "auto_lr_find": True, "max_epochs": 1})
    assert out.trainer_kwargs == {"amp_backend": "apex", "auto_lr_find": True, "max_epochs": 1}
    assert isinstance(out.problems["amp_backend"], facts.NoEquivalent)
    assert "Tuner(trainer).lr_find" in out.problems["auto_lr_find"].advice


def test_bare_1x_trainer_ran_on_cpu_a2():
    assert facts.translate_trainer_kwargs({}, add_default_device=True).trainer_kwargs == {"accelerator": "cpu"}
    assert facts.translate_trainer_kwargs({"devices": 2}, add_default_device=True).trainer_kwargs == {"devices": 2}


def test_import_resolution_d1():
    assert facts.resolve_import("pytorch_lightning.core.lightning.LightningModule").new == \
        "lightning.pytorch.LightningModule"
    assert facts.resolve_import("pytorch_lightning.profiler.simple.SimpleProfiler").new == \
        "lightning.pytorch.profilers.simple.SimpleProfiler"
    assert facts.resolve_import("pytorch_lightning.callbacks.EarlyStopping").new == \
        "lightning.pytorch.callbacks.EarlyStopping"
    removed = facts.resolve_import("pytorch_lightning.loops.FitLoop")
    assert removed.new is None and "Fabric" in removed.advice
    assert facts.resolve_import("pytorch_lightning.metrics.Accuracy").review


def test_checkpoint_filepath_split_e1():
    assert facts.split_checkpoint_filepath("ckpts/{epoch}-{val_loss:.2f}.ckpt") == \
        {"dirpath": "ckpts", "filename": "{epoch}-{val_loss:.2f}"}
    assert facts.split_checkpoint_filepath("ckpts/") == {"dirpath": "ckpts"}
    with pytest.raises(facts.NeedsReview):
        facts.split_checkpoint_filepath("some/folder")
    assert facts.map_checkpoint_mode_auto("val_acc") == "max"
    assert facts.map_early_stopping_mode_auto("val_acc") == "min"  # the EarlyStopping rule only knew "acc"


def test_every_fact_is_complete_and_written_once():
    for name, fact in facts.TRAINER_ARGS.items():
        assert fact.name == name and fact.advice and fact.new and fact.message().startswith(f"Trainer({name}=")
        assert name not in facts.TRAINER_2X_PARAMS or fact.mapper is not None
    for (owner, name), fact in facts.HOOKS.items():
        assert owner in ("module", "callback") and fact.name == name and fact.advice
    assert not set(facts.NAME_MOVES) & set(facts.MODULE_MOVES)
    assert set(facts.STRATEGY_RENAMES).isdisjoint(facts.STRATEGIES_REMOVED)
    assert facts.TRAINER_POSITIONAL_1_0[:5] == ("logger", "checkpoint_callback", "callbacks", "default_root_dir",
                                                "gradient_clip_val")
