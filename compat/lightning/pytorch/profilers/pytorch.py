"""``PyTorchProfiler``: operator-level profiling with ``torch.profiler``, traced around the step hooks.

Every profiled action becomes a ``record_function`` range named ``[pl][profile]<action>``; with
``record_module_names=True`` each submodule's forward is a ``[pl][module]<class>: <name>`` range
(``RegisterRecordFunction``). Steps advance the torch profiler's schedule separately per stage
(``ScheduleWrapper``); when ``dirpath`` is known, each finished schedule cycle is exported as a Chrome trace.
"""
import inspect
import os
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, Callable, Optional, Union

import torch
from torch import nn
from torch.autograd.profiler import EventList, record_function
from torch.profiler import ProfilerAction, ProfilerActivity, tensorboard_trace_handler

from lightning.fabric.utilities.rank_zero import WarningCache, rank_zero_warn
from lightning.pytorch.profilers.profiler import Profiler
from lightning.pytorch.utilities.exceptions import MisconfigurationException

warning_cache = WarningCache()
_KINETO_AVAILABLE = torch.profiler.kineto_available()
_STAGES = ("training", "validation", "test", "predict")


class RegisterRecordFunction:
    """While entered, wraps every named submodule's forward of ``model`` in a ``record_function`` range, so the
    profiler's tables and traces say which layer an operator ran in."""

    def __init__(self, model: nn.Module) -> None:
        self._model = model
        self._records: dict = {}
        self._handles: dict = {}

    def _start_recording_forward(self, _: nn.Module, input: Any, record_name: str) -> Any:
        record = record_function("[pl][module]" + record_name)
        record.__enter__()
        self._records[record_name] = record
        return input

    def _stop_recording_forward(self, _: nn.Module, __: Any, output: Any, record_name: str) -> Any:
        self._records[record_name].__exit__(None, None, None)
        return output

    def __enter__(self) -> None:
        for module_name, module in self._model.named_modules():
            if not module_name:
                continue
            record_name = f"{type(module).__module__}.{type(module).__name__}: {module_name}"
            self._handles[module_name] = [
                module.register_forward_pre_hook(partial(self._start_recording_forward, record_name=record_name)),
                module.register_forward_hook(partial(self._stop_recording_forward, record_name=record_name)),
            ]

    def __exit__(self, type: Any, value: Any, traceback: Any) -> None:
        for handles in self._handles.values():
            for handle in handles:
                handle.remove()
        self._handles = {}


class ScheduleWrapper:
    """Feeds a ``torch.profiler.schedule`` one step counter per stage (training, validation, test, predict), so
    validation batches in the middle of training do not consume the training schedule; each stage records one
    cycle and then stops."""

    def __init__(self, schedule: Callable) -> None:
        if not _KINETO_AVAILABLE:
            raise ModuleNotFoundError("`ScheduleWrapper` needs a PyTorch build with kineto (torch.profiler).")
        self._schedule = schedule
        self.reset()

    def reset(self) -> None:
        self._steps = dict.fromkeys(_STAGES, 0)
        self._finished = dict.fromkeys(_STAGES, False)
        self._current_action: Optional[str] = None
        self._prev_schedule_action: Optional[ProfilerAction] = None
        self._start_action_name: Optional[str] = None

    def setup(self, start_action_name: str) -> None:
        self._start_action_name = start_action_name

    def pre_step(self, current_action: str) -> None:
        self._current_action = current_action

    @property
    def _stage(self) -> Optional[str]:
        if self._current_action is None:
            return None
        return next((s for s in _STAGES if self._current_action.endswith(f"{s}_step")), None)

    @property
    def is_training(self) -> bool:
        return self._stage == "training"

    @property
    def is_validating(self) -> bool:
        return self._stage == "validation"

    @property
    def is_testing(self) -> bool:
        return self._stage == "test"

    @property
    def is_predicting(self) -> bool:
        return self._stage == "predict"

    @property
    def num_step(self) -> int:
        stage = self._stage
        return self._steps[stage] if stage else 0

    @property
    def has_finished(self) -> bool:
        stage = self._stage
        return self._finished[stage] if stage else False

    def _step(self) -> None:
        stage = self._stage
        if stage is None:
            return
        # during fit, the sanity-check validation steps run before any training step and are not counted
        if stage == "validation" and (self._start_action_name or "").endswith("on_fit_start") \
                and self._steps["training"] == 0:
            return
        self._steps[stage] += 1

    def __call__(self, num_step: int) -> ProfilerAction:
        if self._current_action is None or self.has_finished:
            return ProfilerAction.NONE
        self._step()
        action = self._schedule(max(self.num_step, 0))
        if self._prev_schedule_action == ProfilerAction.RECORD and action == ProfilerAction.WARMUP:
            action = ProfilerAction.RECORD
        if action == ProfilerAction.RECORD_AND_SAVE and self._stage is not None:
            self._finished[self._stage] = True
        self._prev_schedule_action = action
        return action


@lru_cache(1)
def _default_schedule() -> Optional[Callable]:
    return torch.profiler.schedule(wait=1, warmup=1, active=3) if _KINETO_AVAILABLE else None


def _default_sort_by_key(profiler_kwargs: dict) -> str:
    activities = profiler_kwargs.get("activities") or []
    on_cuda = (profiler_kwargs.get("use_cuda", False) or ProfilerActivity.CUDA in activities
               or (not activities and torch.cuda.is_available()))
    return f"{'cuda' if on_cuda else 'cpu'}_time_total"


class PyTorchProfiler(Profiler):
    """Profiles operators with ``torch.profiler`` (CPU, and CUDA when available); the report is the
    ``key_averages()`` table. Extra keyword arguments go to ``torch.profiler.profile``."""

    STEP_FUNCTIONS = {"training_step", "validation_step", "test_step", "predict_step"}
    AVAILABLE_SORT_KEYS = {
        "cpu_time", "cuda_time", "cpu_time_total", "cuda_time_total", "cpu_memory_usage", "cuda_memory_usage",
        "self_cpu_memory_usage", "self_cuda_memory_usage", "count",
    }

    def __init__(self, dirpath: Optional[Union[str, Path]] = None, filename: Optional[str] = None,
                 group_by_input_shapes: bool = False, emit_nvtx: bool = False, export_to_chrome: bool = True,
                 row_limit: int = 20, sort_by_key: Optional[str] = None, record_module_names: bool = True,
                 table_kwargs: Optional[dict] = None, **profiler_kwargs: Any) -> None:
        super().__init__(dirpath=dirpath, filename=filename)
        self._group_by_input_shapes = group_by_input_shapes and profiler_kwargs.get("record_shapes", False)
        self._emit_nvtx = emit_nvtx
        self._export_to_chrome = export_to_chrome
        self._row_limit = row_limit
        self._sort_by_key = sort_by_key or _default_sort_by_key(profiler_kwargs)
        self._record_module_names = record_module_names
        self._profiler_kwargs = profiler_kwargs
        self._table_kwargs = table_kwargs if table_kwargs is not None else {}
        self.profiler: Any = None
        self.function_events: Optional[EventList] = None
        self._lightning_module: Any = None  # set by the Trainer before a run
        self._register: Optional[RegisterRecordFunction] = None
        self._parent_profiler: Any = None
        self._recording_map: dict = {}
        self._schedule: Optional[ScheduleWrapper] = None
        self._has_on_trace_ready = False
        self._export_to_flame_graph = False
        if _KINETO_AVAILABLE:
            self._init_kineto(profiler_kwargs)
        if self._sort_by_key not in self.AVAILABLE_SORT_KEYS:
            raise MisconfigurationException(
                f"Found sort_by_key: {self._sort_by_key}. Should be within {self.AVAILABLE_SORT_KEYS}. "
            )
        valid_table_keys = set(inspect.signature(EventList.table).parameters) - {"self", "sort_by", "row_limit"}
        for key in self._table_kwargs:
            if key in ("sort_by", "row_limit"):
                raise KeyError(f"Found invalid table_kwargs key: {key}. This is already a positional argument of the "
                               "Profiler (`sort_by_key` / `row_limit`).")
            if key not in valid_table_keys:
                raise KeyError(f"Found invalid table_kwargs key: {key}. Should be within {valid_table_keys}.")

    def _init_kineto(self, profiler_kwargs: dict) -> None:
        self._has_on_trace_ready = "on_trace_ready" in profiler_kwargs
        schedule = profiler_kwargs.get("schedule")
        if schedule is not None:
            if not callable(schedule):
                raise MisconfigurationException(f"Schedule should be a callable. Found: {schedule}")
            action = schedule(0)
            if not isinstance(action, ProfilerAction):
                raise MisconfigurationException(
                    f"Schedule should return a `torch.profiler.ProfilerAction`. Found: {action}"
                )
        if "schedule" not in profiler_kwargs:
            schedule = _default_schedule()
        self._schedule = ScheduleWrapper(schedule) if schedule is not None else None
        self._profiler_kwargs["schedule"] = self._schedule
        activities = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if torch.cuda.is_available() else [])
        self._profiler_kwargs["activities"] = profiler_kwargs.get("activities") or activities
        self._export_to_flame_graph = profiler_kwargs.get("export_to_flame_graph", False)
        self._metric = profiler_kwargs.get("metric", "self_cpu_time_total")
        self._profiler_kwargs["with_stack"] = profiler_kwargs.get("with_stack", False) or self._export_to_flame_graph

    # ------------------------------------------------------------ schedule helpers
    @property
    def _total_steps(self) -> Union[int, float]:
        trainer = self._lightning_module.trainer

        def total(value: Any) -> Union[int, float]:
            return sum(value) if isinstance(value, list) else (value or 0)

        if self._schedule.is_training:
            return trainer.num_training_batches
        if self._schedule.is_validating:
            return total(trainer.num_val_batches) + total(getattr(trainer, "num_sanity_val_batches", 0))
        if self._schedule.is_testing:
            return total(trainer.num_test_batches)
        if self._schedule.is_predicting:
            return total(trainer.num_predict_batches)
        raise NotImplementedError(f"No schedule for the action {self._schedule._current_action!r}")

    def _should_override_schedule(self) -> bool:
        """The default schedule needs 5 steps (wait 1, warm up 1, record 3); shorter runs record every step."""
        return (self._lightning_module is not None and getattr(self._lightning_module, "_trainer", None) is not None
                and self._schedule is not None and self._total_steps < 5
                and self._schedule._schedule == _default_schedule())

    # ------------------------------------------------------------ recording
    def start(self, action_name: str) -> None:
        if self.profiler is None:
            if torch.autograd._profiler_enabled():
                torch.autograd._disable_profiler()
            if self._schedule is not None:
                self._schedule.setup(action_name)
            self._create_profilers()
            entered = self.profiler.__enter__()
            if entered is not None:
                self.profiler = entered
            if self._parent_profiler is not None:
                self._parent_profiler.__enter__()
        if self._lightning_module is not None and self._register is None and self._record_module_names:
            self._register = RegisterRecordFunction(self._lightning_module)
            self._register.__enter__()
        if self.profiler is not None and action_name not in self._recording_map:
            recording = record_function("[pl][profile]" + action_name)
            recording.__enter__()
            self._recording_map[action_name] = recording

    def stop(self, action_name: str) -> None:
        recording = self._recording_map.pop(action_name, None)
        if recording is not None:
            recording.__exit__(None, None, None)
        if not _KINETO_AVAILABLE or self._emit_nvtx:
            return
        if self.profiler is None or not any(action_name.endswith(f) for f in self.STEP_FUNCTIONS):
            return
        if self._schedule is not None:
            self._schedule.pre_step(action_name)
        if self._should_override_schedule():
            warning_cache.warn("The PyTorch Profiler default schedule will be overridden as there is not enough "
                               "steps to properly record traces.")
            self._schedule = None
            self.profiler.schedule = torch.profiler.profiler._default_schedule_fn
        if not self._has_on_trace_ready:
            self.profiler.on_trace_ready = partial(self._export_trace, action_name=action_name)
        if self._schedule is not None:
            self.profiler.step_num = self._schedule.num_step
        self.profiler.step()
        self.profiler.add_metadata("Framework", "pytorch-lightning")

    def _export_trace(self, profiler: Any, action_name: str) -> None:
        if self.dirpath is None:
            rank_zero_warn("The PyTorchProfiler failed to export trace as `dirpath` is None")
            return
        if self._export_to_chrome:
            tensorboard_trace_handler(str(self.dirpath), self._prepare_filename(action_name=action_name,
                                                                                extension=""))(profiler)
        if self._export_to_flame_graph:
            path = os.path.join(self.dirpath, self._prepare_filename(action_name=action_name, extension=".stack"))
            profiler.export_stacks(path, metric=self._metric)

    def summary(self) -> str:
        if not self._profiler_kwargs.get("enabled", True) or self._emit_nvtx:
            return ""
        self._delete_profilers()
        if not self.function_events:
            return ""
        if self._export_to_chrome and not _KINETO_AVAILABLE:
            filename = f"{self.local_rank}_trace.json"
            self.function_events.export_chrome_trace(filename if self.dirpath is None
                                                     else os.path.join(self.dirpath, filename))
        data = self.function_events.key_averages(group_by_input_shapes=self._group_by_input_shapes)
        table = data.table(sort_by=self._sort_by_key, row_limit=self._row_limit, **self._table_kwargs)
        return self._stats_to_str({"records": table})

    # ------------------------------------------------------------ lifecycle
    def _create_profilers(self) -> None:
        if self.profiler is not None:
            return
        if self._emit_nvtx:
            if self._parent_profiler is None:
                self._parent_profiler = torch.cuda.profiler.profile()
            self.profiler = self._create_profiler(torch.autograd.profiler.emit_nvtx)
        else:
            self._parent_profiler = None
            self.profiler = self._create_profiler(
                torch.profiler.profile if _KINETO_AVAILABLE else torch.autograd.profiler.profile
            )

    def _create_profiler(self, profiler: type) -> Any:
        accepted = inspect.signature(profiler.__init__).parameters
        return profiler(**{k: v for k, v in self._profiler_kwargs.items() if k in accepted})

    def _cache_functions_events(self) -> None:
        if self._emit_nvtx:
            return
        self.function_events = self.profiler.events() if _KINETO_AVAILABLE else self.profiler.function_events

    def _delete_profilers(self) -> None:
        if self.profiler is not None:
            self.profiler.__exit__(None, None, None)
            self._cache_functions_events()
            self.profiler = None
        if self._schedule is not None:
            self._schedule.reset()
        if self._parent_profiler is not None:
            self._parent_profiler.__exit__(None, None, None)
            self._parent_profiler = None
        if self._register is not None:
            self._register.__exit__(None, None, None)
            self._register = None

    def teardown(self, stage: Optional[str]) -> None:
        self._delete_profilers()
        for name in list(self._recording_map):
            self.stop(name)
        self._recording_map = {}
        super().teardown(stage=stage)
