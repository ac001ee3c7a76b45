"""`_trainer_args_2x`, the function lit-migrate adds to a file whose Trainer arguments are only known at run time
(`Trainer(**config)`), side by side: the same 1.x argument mappings build a Trainer on the real pytorch-lightning
1.9.5 as they are, and on the real lightning 2.6.6 through the generated function; both Trainers must select the
same devices, strategy, precision and switches."""

from __future__ import annotations

import json
import subprocess

import pytest

from lit_migrate.rules import runtime_args

from .conftest import REAL_L2, REAL_PL1, require

# 1.x argument mappings pytorch-lightning 1.9.5 accepts (CPU only)
CONFIGS = [
    {"max_epochs": 1},
    {"gpus": 0, "max_epochs": 2},
    {"gpus": None, "precision": "bf16"},
    {"gpus": "0", "precision": 64, "enable_progress_bar": False},
    {"num_processes": 2, "strategy": "ddp", "accelerator": "cpu"},
    {"num_processes": 1, "tpu_cores": None, "ipus": None, "auto_select_gpus": False},
    {"replace_sampler_ddp": False, "track_grad_norm": -1, "amp_backend": "native", "move_metrics_to_cpu": False,
     "multiple_trainloader_mode": "max_size_cycle", "auto_lr_find": False, "auto_scale_batch_size": False},
    {"enable_model_summary": False, "enable_checkpointing": False, "logger": False, "precision": 16,
     "accelerator": "cpu"},
]

_PROBE = r'''
import json, sys, warnings
warnings.simplefilter("ignore")
LEGACY = sys.argv[1] == "legacy"
if LEGACY:
    import pytorch_lightning as pl
else:
    import lightning.pytorch as pl
    exec(sys.argv[3])
out = []
for config in json.loads(sys.argv[2]):
    trainer = pl.Trainer(**(config if LEGACY else _trainer_args_2x(config)))
    connector = trainer._accelerator_connector
    names = [type(c).__name__ for c in trainer.callbacks]
    out.append({
        "accelerator": type(trainer.accelerator).__name__,
        "devices": trainer.num_devices,
        "strategy": type(trainer.strategy).__name__,
        "precision": type(trainer.strategy.precision_plugin).__name__.replace("Plugin", ""),
        "dtype": str(getattr(trainer.strategy.precision_plugin, "_desired_input_dtype", None) or
                     getattr(trainer.strategy.precision_plugin, "precision", None)),
        "progress_bar": trainer.progress_bar_callback is not None,
        "summary": any("ModelSummary" in n for n in names),
        "checkpointing": trainer.checkpoint_callback is not None,
        "distributed_sampler": getattr(connector, "use_distributed_sampler",
                                       getattr(connector, "replace_sampler_ddp", None)),
    })
print(json.dumps(out))
'''


def _probe(python, side: str) -> list[dict]:
    helper = runtime_args.helper_source('"')
    proc = subprocess.run([str(python), "-c", _PROBE, side, json.dumps(CONFIGS), helper], capture_output=True,
                          text=True, timeout=600, env={"PATH": "/usr/bin:/bin", "OMP_NUM_THREADS": "1"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def both_sides():
    return _probe(require(REAL_PL1), "legacy"), _probe(require(REAL_L2), "new")


@pytest.mark.parametrize("index", range(len(CONFIGS)), ids=[json.dumps(c) for c in CONFIGS])
def test_translated_arguments_build_the_same_trainer(both_sides, index):
    legacy, new = both_sides
    got, want = dict(new[index]), dict(legacy[index])
    # 1.9 spelled a 16/64-bit precision plugin's dtype differently ("16"/64 vs torch.float16/torch.float64)
    got.pop("dtype"), want.pop("dtype")
    assert got == want, CONFIGS[index]


def test_a_removed_flag_with_a_value_is_a_clear_error():
    namespace: dict = {}
    exec(runtime_args.helper_source('"'), namespace)
    translate = namespace["_trainer_args_2x"]
    with pytest.raises(ValueError, match="auto_lr_find=True.*removed.*Tuner"):
        translate({"auto_lr_find": True})
    assert translate({"gpus": [1], "max_epochs": 2}, given=("max_epochs",)) == {"accelerator": "cuda",
                                                                                 "devices": [1]}
    assert translate({"progress_bar_refresh_rate": 0, "weights_summary": None, "checkpoint_callback": False}) == {
        "enable_progress_bar": False, "enable_model_summary": False, "enable_checkpointing": False,
        "accelerator": "cpu"}
    import argparse

    ns = argparse.Namespace(gpus=None, max_epochs=3, batch_size=8, auto_lr_find=False)
    assert translate(ns, namespace=True, overrides={"max_epochs": 5}) == {"max_epochs": 5, "accelerator": "cpu"}


def test_the_inserted_helper_is_compact():
    source = runtime_args.helper_source('"')
    assert len(source.splitlines()) <= 130  # tables packed several entries a line, one merged removed-args table
    assert max(len(line) for line in source.splitlines()) <= 120
    namespace: dict = {}
    exec(source, namespace)
    translate = namespace["_trainer_args_2x"]
    assert translate({"accelerator": "ddp_fully_sharded", "gpus": 2}) == {"strategy": "fsdp", "accelerator": "cuda",
                                                                          "devices": 2}
    assert translate({"accelerator": "ddp", "num_processes": 2}) == {"strategy": "ddp", "accelerator": "cpu",
                                                                     "devices": 2}
    with pytest.raises(ValueError, match="track_grad_norm=2.*grad_norm"):
        translate({"track_grad_norm": 2})
    assert translate({"track_grad_norm": -1, "replace_sampler_ddp": True}) == {"use_distributed_sampler": True,
                                                                               "accelerator": "cpu"}
