"""Errors and small answers of Lightning 2.6.6's public utilities, run side by side by ``test_error_phrases.py``
under the real lightning 2.6.6 and under this project. Each scenario returns a string (an error's message, or a
value); prints one JSON object ``{scenario: text}``."""
import json
import os
import sys
import tempfile
import warnings


def _error(fn) -> str:
    try:
        fn()
    except Exception as err:  # noqa: BLE001 - the message is the result
        # "Type|every class it is an instance of: message"
        return f"{type(err).__name__}|{','.join(c.__name__ for c in type(err).__mro__)}: {err}"
    return "no error"


def scenario_summary_max_depth_negative():
    from lightning.pytorch.demos.boring_classes import BoringModel
    from lightning.pytorch.utilities.model_summary import ModelSummary

    return _error(lambda: ModelSummary(BoringModel(), max_depth=-2))


def scenario_summary_max_depth_not_an_int():
    from lightning.pytorch.demos.boring_classes import BoringModel
    from lightning.pytorch.utilities.model_summary import ModelSummary

    return _error(lambda: ModelSummary(BoringModel(), max_depth="deep"))


def scenario_unknown_profiler_name():
    from lightning.pytorch import Trainer

    return _error(lambda: Trainer(profiler="fastest", logger=False))


def scenario_profiler_table_kwargs_sort_by():
    from lightning.pytorch.profilers import PyTorchProfiler

    return _error(lambda: PyTorchProfiler(table_kwargs={"sort_by": "cpu_time"}))


def scenario_batch_size_of_a_string():
    from lightning.pytorch.utilities.data import extract_batch_size

    return _error(lambda: extract_batch_size("text"))


def scenario_gradient_clip_algorithms():
    from lightning.pytorch.utilities.enums import GradClipAlgorithmType

    return repr((GradClipAlgorithmType.supported_types(), GradClipAlgorithmType.supported_type("norm"),
                 GradClipAlgorithmType.supported_type("norm2")))


def scenario_possible_user_warnings_off_in_the_environment():
    # read when lightning is imported: a fresh process with the variable set
    import subprocess

    code = """import warnings, lightning.pytorch
from lightning.fabric.utilities.warnings import PossibleUserWarning
with warnings.catch_warnings(record=True) as caught:
    warnings.warn("x", PossibleUserWarning)
print(len(caught))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "POSSIBLE_USER_WARNINGS": "off"})
    return out.stdout.strip() or out.stderr[-500:]


def scenario_profiled_callback_hooks():
    """With a profiler, every hook of every callback is recorded under the callback's state key."""
    from lightning.pytorch import Trainer
    from lightning.pytorch.callbacks import EarlyStopping
    from lightning.pytorch.demos.boring_classes import BoringModel
    from lightning.pytorch.profilers import SimpleProfiler

    with tempfile.TemporaryDirectory() as root:
        profiler = SimpleProfiler()
        trainer = Trainer(default_root_dir=root, fast_dev_run=1, profiler=profiler, logger=False,
                          enable_progress_bar=False, enable_model_summary=False,
                          callbacks=[EarlyStopping("val_loss"), EarlyStopping("train_loss")])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            trainer.fit(BoringModel())
        return repr(sorted(name for name in profiler.recorded_durations
                           if name.startswith("[Callback]EarlyStopping") and name.endswith("on_validation_start")))


def _trainer_error(**kwargs):
    from lightning.pytorch import Trainer

    return _error(lambda: Trainer(logger=False, **kwargs))


def scenario_accelerator_none():
    return _trainer_error(accelerator=None)


def scenario_accelerator_unknown():
    return _trainer_error(accelerator="abacus")


def scenario_accelerator_gpu_without_one():
    return _trainer_error(accelerator="gpu")


def scenario_cpu_devices_none():
    return _trainer_error(accelerator="cpu", devices=None)


def scenario_cpu_devices_negative():
    return _trainer_error(accelerator="cpu", devices=-2)


def scenario_cpu_devices_zero():
    return _trainer_error(accelerator="cpu", devices=0)


def scenario_cpu_devices_empty_list():
    return _trainer_error(accelerator="cpu", devices=[])


def scenario_strategy_unknown():
    return _trainer_error(strategy="abacus")


def scenario_strategy_none():
    return _trainer_error(strategy=None)


def scenario_strategy_dp():
    return _trainer_error(strategy="dp")


def scenario_fabric_devices_none():
    from lightning.fabric import Fabric

    return _error(lambda: Fabric(accelerator="cpu", devices=None))


def scenario_fabric_accelerator_none():
    from lightning.fabric import Fabric

    return _error(lambda: Fabric(accelerator=None))


SCENARIOS = {name[len("scenario_"):]: fn for name, fn in sorted(globals().items()) if name.startswith("scenario_")}

if __name__ == "__main__":
    print(json.dumps({name: fn() for name, fn in SCENARIOS.items()}))
