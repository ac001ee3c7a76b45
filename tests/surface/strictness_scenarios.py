"""Where 2.6.6 is strict or particular (issue 17.5), run side by side by ``test_strictness.py`` under the real
lightning 2.6.6 and under this project; prints one JSON object. ``slurm`` as first argument runs the SLURM scenario
(it sets SLURM variables before importing Lightning)."""
import contextlib
import io
import json
import logging
import os
import sys
import tempfile
import warnings


def _error(fn):
    try:
        fn()
        return "ok"
    except Exception as err:  # noqa: BLE001 - the reaction is the result
        return type(err).__name__


def _quiet_trainer(root, **kwargs):
    import lightning.pytorch as pl

    options = dict(default_root_dir=root, logger=False, enable_progress_bar=False, enable_model_summary=False,
                   enable_checkpointing=False, max_steps=1, limit_val_batches=1, num_sanity_val_steps=0)
    options.update(kwargs)
    return pl.Trainer(**options)


def scenario_devices_minus_one_on_cpu(root):
    import lightning.pytorch as pl

    def build(devices):
        return lambda: pl.Trainer(accelerator="cpu", devices=devices, logger=False, default_root_dir=root)

    messages = {}
    for devices in (-1, "-1", [0], 0):
        try:
            build(devices)()
            messages[repr(devices)] = "ok"
        except Exception as err:  # noqa: BLE001
            messages[repr(devices)] = [type(err).__name__, "should be an int > 0" in str(err)]
    messages["'2'"] = _error(build("2"))
    return messages


def scenario_setup_stage_argument(root):
    import lightning.pytorch as pl
    from lightning.pytorch.demos.boring_classes import BoringDataModule, BoringModel

    seen = []

    class Module(BoringModel):
        def setup(self, stage):
            seen.append(["module.setup", type(stage).__name__, repr(stage), stage == "fit" or stage == "validate"])

        def teardown(self, stage):
            seen.append(["module.teardown", type(stage).__name__, repr(stage)])

    class Data(BoringDataModule):
        def setup(self, stage):
            super().setup(stage)
            seen.append(["datamodule.setup", type(stage).__name__, repr(stage)])

    class Recorder(pl.Callback):
        def setup(self, trainer, pl_module, stage):
            seen.append(["callback.setup", type(stage).__name__, repr(stage), f"{stage}"])

    trainer = _quiet_trainer(root, callbacks=[Recorder()])
    trainer.fit(Module(), datamodule=Data())
    trainer.validate(Module(), datamodule=Data(), verbose=False)
    return seen


def scenario_summary_with_only_a_tqdm_bar(root):
    import lightning.pytorch as pl
    from lightning.pytorch.callbacks import TQDMProgressBar
    from lightning.pytorch.demos.boring_classes import BoringModel

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        trainer = pl.Trainer(default_root_dir=root, callbacks=[TQDMProgressBar()], logger=False, max_steps=1,
                             limit_val_batches=1, num_sanity_val_steps=0, enable_checkpointing=False)
        trainer.fit(BoringModel())
    lines = out.getvalue().splitlines()
    return [line.rstrip() for line in lines if "it/s" not in line and line.strip()]


def scenario_device_info_lines(root):
    import lightning.pytorch as pl

    records = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())
    logger = logging.getLogger("lightning.pytorch")
    logger.addHandler(handler)
    try:
        pl.Trainer(accelerator="cpu", logger=False, default_root_dir=root)
    finally:
        logger.removeHandler(handler)
    return [r for r in records if r.startswith(("GPU available", "TPU available"))]


def slurm_mismatch():
    os.environ.update({"SLURM_NTASKS": "4", "SLURM_JOB_NAME": "job", "SLURM_NODELIST": "localhost",
                       "SLURM_PROCID": "0", "SLURM_LOCALID": "0", "SLURM_NODEID": "0", "SLURM_JOB_ID": "123",
                       "SLURM_NTASKS_PER_NODE": "4"})
    from lightning.pytorch.demos.boring_classes import BoringModel

    out = {}
    with tempfile.TemporaryDirectory() as root:
        trainer = _quiet_trainer(root, accelerator="cpu", devices=2)
        out["construct"] = "ok"
        try:
            trainer.fit(BoringModel())
            out["fit"] = "ok"
        except Exception as err:  # noqa: BLE001
            out["fit"] = [type(err).__name__, "ntasks-per-node=4" in str(err), "devices=4" in str(err)]
    return out


SCENARIOS = {name[len("scenario_"):]: fn for name, fn in sorted(globals().items()) if name.startswith("scenario_")}

if __name__ == "__main__":
    warnings.simplefilter("ignore")
    logging.getLogger("lightning.pytorch").setLevel(logging.INFO)
    logging.getLogger("lightning.pytorch").propagate = False
    if sys.argv[1:] == ["slurm"]:
        print(json.dumps(slurm_mismatch()))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            print(json.dumps({name: fn(tmp) for name, fn in SCENARIOS.items()}))
