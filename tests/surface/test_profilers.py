"""Profilers: names, reports, files, errors; and that a run without a profiler does not profile at all."""
import os
import pickle

import pytest
import torch

import lightning as L
from lightning.pytorch.demos.boring_classes import BoringModel
from lightning.pytorch.profilers import (AdvancedProfiler, PassThroughProfiler, Profiler, PyTorchProfiler,
                                         SimpleProfiler, XLAProfiler, profiler_from_name)
from lightning.pytorch.profilers.pytorch import RegisterRecordFunction, ScheduleWrapper
from lightning.pytorch.utilities.exceptions import MisconfigurationException


def _fit(tmp_path, profiler, **kwargs):
    options = dict(max_steps=2, limit_val_batches=1, logger=False, enable_progress_bar=False,
                   enable_model_summary=False, enable_checkpointing=False, default_root_dir=tmp_path)
    options.update(kwargs)
    trainer = L.Trainer(profiler=profiler, **options)
    trainer.fit(BoringModel())
    return trainer


@pytest.mark.parametrize(("name", "cls"), [("simple", SimpleProfiler), ("Advanced", AdvancedProfiler),
                                           ("PYTORCH", PyTorchProfiler)])
def test_trainer_builds_profilers_by_name(name, cls):
    trainer = L.Trainer(profiler=name, logger=False)
    assert type(trainer.profiler) is cls
    assert isinstance(profiler_from_name(name), cls)


def test_unknown_profiler_name_says_which_exist():
    with pytest.raises(MisconfigurationException, match="simple.*advanced.*pytorch.*xla"):
        L.Trainer(profiler="fancy")


def test_default_profiler_costs_nothing(tmp_path):
    seen = []

    class Spy(BoringModel):
        def training_step(self, batch, batch_idx):
            seen.append(self.trainer._hooks.profiler)
            return super().training_step(batch, batch_idx)

    trainer = L.Trainer(max_steps=1, limit_val_batches=0, logger=False, enable_progress_bar=False,
                        enable_model_summary=False, enable_checkpointing=False, default_root_dir=tmp_path)
    trainer.fit(Spy())
    assert isinstance(trainer.profiler, PassThroughProfiler)
    assert seen == [None]  # the hook dispatcher never enters a profiling context


def test_simple_profiler_records_and_reports(tmp_path):
    profiler = SimpleProfiler(dirpath=tmp_path, filename="perf")
    trainer = _fit(tmp_path, profiler)
    assert trainer.profiler is profiler
    report = (tmp_path / "fit-perf.txt").read_text()
    assert report.startswith("FIT Profiler Report")
    assert "Mean duration (s)" in report and "Num calls" in report and "Percentage %" in report
    assert "[Strategy]SingleDeviceStrategy.training_step" in report
    assert "[LightningModule]BoringModel.configure_optimizers" in report


def test_simple_profiler_summary_without_extended_columns():
    profiler = SimpleProfiler(extended=False)
    with profiler.profile("a"):
        pass
    with profiler.profile("a"):
        pass
    assert len(profiler.recorded_durations["a"]) == 2
    summary = profiler.summary()
    assert "Total time (s)" in summary and "Num calls" not in summary


def test_simple_profiler_rejects_unbalanced_actions():
    profiler = SimpleProfiler()
    profiler.start("x")
    with pytest.raises(ValueError, match="already started"):
        profiler.start("x")
    with pytest.raises(ValueError, match="never started"):
        profiler.stop("y")


def test_report_goes_to_the_log_without_a_filename(caplog):
    profiler = SimpleProfiler()
    with profiler.profile("step"):
        pass
    with caplog.at_level("INFO"):
        profiler.describe()
    assert "Profiler Report" in caplog.text and "step" in caplog.text


def test_advanced_profiler_reports_functions_and_dumps_stats(tmp_path):
    profiler = AdvancedProfiler(dirpath=tmp_path, filename="adv", dump_stats=True, line_count_restriction=5)
    with profiler.profile("work"):
        sum(range(1000))
    summary = profiler.summary()
    assert "Profile stats for: work" in summary and "cumulative" in summary
    assert (tmp_path / "adv-work.prof").exists()  # <filename>-<action>.prof
    with pytest.raises(ValueError, match="never started"):
        profiler.stop("other")


def test_advanced_profiler_pickles_without_its_cprofile_state(tmp_path):
    profiler = AdvancedProfiler(dirpath=str(tmp_path), filename="x", line_count_restriction=3)
    with profiler.profile("a"):
        pass
    clone = pickle.loads(pickle.dumps(profiler))
    assert (clone.dirpath, clone.filename, clone.line_count_restriction) == (str(tmp_path), "x", 3)
    assert not clone.profiled_actions


def test_pytorch_profiler_writes_table_and_chrome_trace(tmp_path):
    profiler = PyTorchProfiler(dirpath=tmp_path, filename="torch")
    _fit(tmp_path, profiler, max_steps=3)
    files = os.listdir(tmp_path)
    assert "fit-torch.txt" in files
    assert any(f.endswith(".pt.trace.json") and "training_step" in f for f in files)
    report = (tmp_path / "fit-torch.txt").read_text()
    assert "Profile stats for: records" in report and "Self CPU" in report


def test_register_record_function_names_module_ranges():
    model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.ReLU())
    with torch.profiler.profile() as prof, RegisterRecordFunction(model):
        model(torch.ones(1, 2))
    names = {event.name for event in prof.events()}
    assert "[pl][module]torch.nn.modules.linear.Linear: 0" in names
    assert "[pl][module]torch.nn.modules.activation.ReLU: 1" in names
    assert not model[0]._forward_hooks  # hooks are removed on exit


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"sort_by_key": "speed"}, MisconfigurationException, "sort_by_key"),
    ({"schedule": 3}, MisconfigurationException, "callable"),
    ({"schedule": lambda step: "record"}, MisconfigurationException, "ProfilerAction"),
    ({"table_kwargs": {"row_limit": 2}}, KeyError, "row_limit"),
    ({"table_kwargs": {"colour": True}}, KeyError, "colour"),
])
def test_pytorch_profiler_rejects_bad_configuration(kwargs, error, match):
    with pytest.raises(error, match=match):
        PyTorchProfiler(**kwargs)


def test_schedule_wrapper_counts_steps_per_stage():
    wrapper = ScheduleWrapper(torch.profiler.schedule(wait=0, warmup=0, active=1))
    wrapper.setup("[LightningModule]M.on_fit_start")
    wrapper.pre_step("[Strategy]S.training_step")
    assert wrapper.is_training and wrapper(0) == torch.profiler.ProfilerAction.RECORD_AND_SAVE
    assert wrapper.has_finished and wrapper(1) == torch.profiler.ProfilerAction.NONE
    wrapper.pre_step("[Strategy]S.validation_step")
    assert wrapper.is_validating and not wrapper.has_finished


def test_xla_profiler_needs_torch_xla():
    with pytest.raises(ModuleNotFoundError, match="torch_xla"):
        XLAProfiler()


def test_custom_profiler_subclass_and_filenames(tmp_path):
    class Counting(Profiler):
        def __init__(self):
            super().__init__(dirpath=tmp_path, filename="custom")
            self.started = []

        def start(self, action_name):
            self.started.append(action_name)

        def stop(self, action_name):
            pass

        def summary(self):
            return f"{len(self.started)} actions"

    profiler = Counting()
    _fit(tmp_path, profiler, max_steps=1)
    assert "[Strategy]SingleDeviceStrategy.training_step" in profiler.started
    assert (tmp_path / "fit-custom.txt").read_text().startswith(f"{len(profiler.started)} actions")
    profiler.setup("validate", local_rank=1)
    assert profiler._prepare_filename(action_name="a/b:c") == "validate-custom-1-a_b_c.txt"


def test_pytorch_profiler_records_module_names_through_the_trainer(tmp_path):
    profiler = PyTorchProfiler(record_module_names=True, export_to_chrome=False, schedule=None)
    _fit(tmp_path, profiler, max_steps=2, limit_val_batches=0)
    names = {event.key for event in profiler.function_events.key_averages()}
    assert "[pl][module]torch.nn.modules.linear.Linear: layer" in names
    assert any(name.startswith("[pl][profile][Strategy]SingleDeviceStrategy.training_step") for name in names)
    assert profiler._register is None  # the forward hooks are gone after the run
