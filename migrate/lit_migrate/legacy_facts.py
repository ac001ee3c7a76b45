"""The one table of pytorch_lightning 1.x -> Lightning 2.x facts that code can act on.

Two consumers read it: the `lit-migrate` codemod (rewrites source) and the runtime shim `pytorch_lightning`
(translates legacy calls while the program runs). It is pure data plus small pure functions over plain Python
values, so it imports neither torch nor libcst. Section letters (A.1, B.2, ...) refer to
`shared/migration-table.md`. Each fact is written once; consumers look facts up by name and never copy them.

Value mappings return dicts of *new* keyword arguments. When a legacy value has no 2.x equivalent they raise
`NoEquivalent`; when a human has to decide (a value the 2.x API needs but the old call does not say), they raise
`NeedsReview`. Both carry the user-facing advice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

MIGRATE_HINT = "`lit-migrate PATH` rewrites it for you"
NEW_ROOT = "lightning.pytorch"
OLD_ROOT = "pytorch_lightning"


class LegacyFactError(ValueError):
    """A legacy value the 2.x API cannot take as is; `advice` says what to do instead."""

    def __init__(self, advice: str) -> None:
        super().__init__(advice)
        self.advice = advice


class NoEquivalent(LegacyFactError):
    """Lightning 2.x has nothing that replaces this legacy value."""


class NeedsReview(LegacyFactError):
    """A replacement exists but needs a decision or a value that the legacy call does not give."""


@dataclass(frozen=True)
class ObjectSpec:
    """A call to build in the new code, e.g. `TQDMProgressBar(refresh_rate=10)` from `lightning.pytorch.callbacks`.

    The codemod renders it as source (plus an import); the shim imports `module` and calls `name(*args, **kwargs)`.
    """

    module: str
    name: str
    args: tuple[Any, ...] = ()
    kwargs: tuple[tuple[str, Any], ...] = ()

    @property
    def qualname(self) -> str:
        return f"{self.module}.{self.name}"


def _spec(module: str, name: str, *args: Any, **kwargs: Any) -> ObjectSpec:
    return ObjectSpec(module, name, tuple(args), tuple(kwargs.items()))


@dataclass
class Mapped:
    """The 2.x form of one or more legacy arguments: new Trainer kwargs, callbacks to add, `fit` kwargs."""

    trainer_kwargs: dict[str, Any] = field(default_factory=dict)
    callbacks: list[ObjectSpec] = field(default_factory=list)
    fit_kwargs: dict[str, Any] = field(default_factory=dict)
    caveats: list[str] = field(default_factory=list)  # semantics that differ slightly; the result is still right

    def merge(self, other: "Mapped") -> "Mapped":
        self.trainer_kwargs.update(other.trainer_kwargs)
        self.callbacks.extend(other.callbacks)
        self.fit_kwargs.update(other.fit_kwargs)
        self.caveats.extend(other.caveats)
        return self


# ----------------------------------------------------------------------------------------------------------------
# A.3 / A.4  device flags
# ----------------------------------------------------------------------------------------------------------------

# `gpus=` values that meant "no GPU" in 1.x (A.3). A dynamic value is CPU exactly when it equals one of these.
GPUS_CPU_VALUES: tuple[Any, ...] = (None, 0, "0", [], "[]")
ACCELERATOR_FOR_GPUS = "cuda"  # 1.7+ mapped gpus= to "cuda"; "gpu" in 2.x may pick MPS (A.1)


def _parse_index_string(value: str) -> list[int]:
    parts = [p.strip() for p in value.strip().strip("[]").split(",")]
    try:
        return [int(p) for p in parts if p]
    except ValueError:
        raise NoEquivalent(f"cannot read device indices from {value!r}: expected e.g. '0,1'") from None


def map_gpus(value: Any, *, legacy_version: str = "1.5") -> dict[str, Any]:
    """`Trainer(gpus=value)` -> `{"accelerator": ..., "devices": ...}` with the 1.x semantics of table A.3.

    `legacy_version` below "1.5" reads a digit string such as "2" as a device *index* (1.0-1.4), else as a count.
    """
    if isinstance(value, bool):
        raise NoEquivalent(f"gpus={value!r} is not a device count; use accelerator='cuda', devices=N")
    if any(value == cpu and type(value) is type(cpu) for cpu in GPUS_CPU_VALUES) or value is None:
        return {"accelerator": "cpu"}
    if isinstance(value, int):
        if value < -1:
            raise NoEquivalent(f"gpus={value} is invalid: use a count, -1 (all), or a list of indices")
        return {"accelerator": ACCELERATOR_FOR_GPUS, "devices": value}
    if isinstance(value, (list, tuple)):
        return {"accelerator": ACCELERATOR_FOR_GPUS, "devices": [int(v) for v in value]}
    if isinstance(value, str):
        text = value.strip()
        if text == "-1":
            return {"accelerator": ACCELERATOR_FOR_GPUS, "devices": -1}
        if "," in text or text.startswith("["):
            indices = _parse_index_string(text)
            if not indices:
                return {"accelerator": "cpu"}
            return {"accelerator": ACCELERATOR_FOR_GPUS, "devices": indices}
        if text.isdigit():
            if _version_tuple(legacy_version) < (1, 5):
                return {"accelerator": ACCELERATOR_FOR_GPUS, "devices": [int(text)]}
            return {"accelerator": ACCELERATOR_FOR_GPUS, "devices": int(text)}
    raise NoEquivalent(f"gpus={value!r} is not a value 1.x accepted (an int, a list of ints, or a string like '0,1')")


def map_tpu_cores(value: Any) -> dict[str, Any]:
    """`tpu_cores=` (A.1/A.4): a count stays a count; a 1-based index list becomes the 0-based `devices=[k-1]`."""
    if value is None:
        return {}
    if isinstance(value, int) and not isinstance(value, bool):
        return {"accelerator": "tpu", "devices": value}
    if isinstance(value, str):
        if value.strip() in ("1", "8"):
            return {"accelerator": "tpu", "devices": int(value)}
        value = _parse_index_string(value)
    if isinstance(value, (list, tuple)) and value:
        return {"accelerator": "tpu", "devices": [int(k) - 1 for k in value]}
    raise NoEquivalent(f"tpu_cores={value!r} is not a value 1.x accepted (1, 8, or a list with one 1-based index)")


def map_num_processes(value: Any) -> dict[str, Any]:
    """`num_processes=N` (A.4): CPU processes; 1.x launched N > 1 with ddp_spawn."""
    if value is None or value == 1:
        return {"accelerator": "cpu"}
    if isinstance(value, int) and not isinstance(value, bool) and value > 1:
        return {"accelerator": "cpu", "devices": value, "strategy": "ddp_spawn"}
    raise NoEquivalent(f"num_processes={value!r} is invalid: use a positive int")


def map_ipus(value: Any) -> dict[str, Any]:
    if not value:
        return {}
    raise NoEquivalent(
        "IPU support left Lightning core: install `lightning-graphcore` and pass "
        "accelerator=IPUAccelerator(), devices=N"
    )


# ----------------------------------------------------------------------------------------------------------------
# A.5  strategy names
# ----------------------------------------------------------------------------------------------------------------

STRATEGY_RENAMES: dict[str, str] = {
    "ddp": "ddp",
    "ddp_spawn": "ddp_spawn",
    "ddp_fork": "ddp_fork",
    "ddp_notebook": "ddp_notebook",
    "fsdp": "fsdp",
    "ddp_fully_sharded": "fsdp",
    "fsdp_native": "fsdp",
    "fsdp_native_full_shard_offload": "fsdp_cpu_offload",
    "tpu_spawn": "xla",
    "tpu_spawn_debug": "xla_debug",
    "single_tpu": "single_xla",
    "deepspeed": "deepspeed",
    "ddp_find_unused_parameters_false": "ddp_find_unused_parameters_false",
    "ddp_spawn_find_unused_parameters_false": "ddp_spawn_find_unused_parameters_false",
}
for _stage in ("1", "2", "2_offload", "3", "3_offload", "3_offload_nvme"):
    STRATEGY_RENAMES[f"deepspeed_stage_{_stage}"] = f"deepspeed_stage_{_stage}"

STRATEGIES_REMOVED: dict[str, str] = {
    "dp": "DataParallel was removed in 2.0; use strategy='ddp' (each process gets its own batch)",
    "ddp2": "ddp2 was removed in 1.8; use strategy='ddp'",
    "ddp_sharded": "FairScale sharding was removed in 2.0; the nearest is strategy='fsdp'",
    "ddp_sharded_spawn": "FairScale sharding was removed in 2.0; the nearest is strategy='fsdp'",
    "horovod": "Horovod left Lightning core in 2.0 (package `lightning-Horovod`); use strategy='ddp'",
    "bagua": "Bagua was removed in 2.3; use strategy='ddp'",
    "colossalai": "ColossalAI left Lightning core (package `lightning-colossalai`)",
    "hivemind": "Hivemind left Lightning core (external package)",
    "ipu_strategy": "IPU support left Lightning core (package `lightning-graphcore`)",
    "hpu_parallel": "HPU support left Lightning core (package `lightning-habana`)",
    "hpu_single": "HPU support left Lightning core (package `lightning-habana`)",
}

# Strategy names that 1.x accepted as `accelerator=` / `distributed_backend=` (A.1): they become `strategy=`.
LEGACY_ACCELERATOR_STRATEGIES = frozenset(
    {"dp", "ddp", "ddp2", "ddp_spawn", "ddp_cpu", "horovod", "ddp_sharded", "ddp_sharded_spawn",
     "ddp_fully_sharded", "deepspeed", "tpu_spawn", "fsdp"}
)
ACCELERATOR_NAMES = frozenset({"cpu", "gpu", "cuda", "mps", "tpu", "ipu", "hpu", "auto"})


def map_strategy_name(name: str) -> str:
    """A 1.x strategy registry name -> the 2.x name (A.5). Raises `NoEquivalent` for strategies 2.x dropped."""
    if name in STRATEGY_RENAMES:
        return STRATEGY_RENAMES[name]
    if name in STRATEGIES_REMOVED:
        raise NoEquivalent(f"strategy {name!r}: {STRATEGIES_REMOVED[name]}")
    return name


def map_legacy_accelerator(value: Any) -> dict[str, Any]:
    """`accelerator="ddp"` / `distributed_backend="ddp"` (1.0-1.6) -> `strategy=...` (A.1)."""
    if value is None:
        return {}
    if not isinstance(value, str) or value in ACCELERATOR_NAMES:
        return {"accelerator": value}
    if value == "ddp_cpu":
        return {"accelerator": "cpu", "strategy": "ddp_spawn"}
    if value in LEGACY_ACCELERATOR_STRATEGIES:
        return {"strategy": map_strategy_name(value)}
    return {"accelerator": value}


def is_legacy_accelerator_value(value: Any) -> bool:
    return isinstance(value, str) and value in LEGACY_ACCELERATOR_STRATEGIES


# ----------------------------------------------------------------------------------------------------------------
# A.6  precision
# ----------------------------------------------------------------------------------------------------------------

PRECISION_MAP: dict[Any, str] = {
    32: "32-true", "32": "32-true",
    16: "16-mixed", "16": "16-mixed",
    64: "64-true", "64": "64-true",
    "bf16": "bf16-mixed",
}
PRECISION_2X = frozenset(
    {"32-true", "16-mixed", "bf16-mixed", "64-true", "16-true", "bf16-true",
     "transformer-engine", "transformer-engine-float16"}
)


def map_precision(value: Any, *, on_tpu: bool = False) -> str:
    """A 1.x `precision=` value -> the 2.x string (A.6). On TPU, 16 and "bf16" meant bf16 (XLA)."""
    if isinstance(value, bool):
        raise NoEquivalent(f"precision={value!r} is not a precision")
    if value in PRECISION_2X:
        return value
    if on_tpu and value in (16, "16", "bf16"):
        return "bf16-true"
    if value == "mixed":
        raise NoEquivalent("precision='mixed' was an IPU/HPU internal value; use '16-mixed'")
    try:
        return PRECISION_MAP[value]
    except (KeyError, TypeError):
        raise NoEquivalent(
            f"precision={value!r} is not valid: use one of {sorted(PRECISION_2X)}"
        ) from None


# ----------------------------------------------------------------------------------------------------------------
# A.1  other Trainer arguments with a value mapping
# ----------------------------------------------------------------------------------------------------------------

CALLBACKS_MODULE = f"{NEW_ROOT}.callbacks"


def map_checkpoint_callback(value: Any) -> Mapped:
    if value is False:
        return Mapped({"enable_checkpointing": False})
    if value is True or value is None:
        return Mapped()
    raise NeedsReview(
        "checkpoint_callback=<ModelCheckpoint> (1.0-1.2): put the instance in callbacks=[...] instead"
    )


def map_progress_bar_refresh_rate(value: Any) -> Mapped:
    if value is None:
        return Mapped()
    if value == 0:
        return Mapped({"enable_progress_bar": False})
    if isinstance(value, int) and value > 0:
        return Mapped(callbacks=[_spec(CALLBACKS_MODULE, "TQDMProgressBar", refresh_rate=value)])
    raise NoEquivalent(f"progress_bar_refresh_rate={value!r} must be an int >= 0")


def map_process_position(value: Any) -> Mapped:
    if not value:
        return Mapped()
    return Mapped(callbacks=[_spec(CALLBACKS_MODULE, "TQDMProgressBar", process_position=value)])


def map_weights_summary(value: Any) -> Mapped:
    if value == "top":
        return Mapped()
    if value == "full":
        return Mapped(callbacks=[_spec(CALLBACKS_MODULE, "ModelSummary", max_depth=-1)])
    if value is None:
        return Mapped({"enable_model_summary": False})
    raise NoEquivalent(f"weights_summary={value!r}: 1.x accepted 'top', 'full' or None")


def map_reload_dataloaders_every_epoch(value: Any) -> Mapped:
    return Mapped({"reload_dataloaders_every_n_epochs": 1 if value else 0})


def map_profiler(value: Any) -> Mapped:
    if value is True:
        return Mapped({"profiler": "simple"})
    if value is False:
        return Mapped({"profiler": None})
    return Mapped({"profiler": value})


def map_max_steps(value: Any) -> Mapped:
    return Mapped({"max_steps": -1 if value is None else value})


def map_accumulate_grad_batches(value: Any) -> Mapped:
    if value is None:
        return Mapped({"accumulate_grad_batches": 1})
    if isinstance(value, dict):
        return Mapped(callbacks=[_spec(CALLBACKS_MODULE, "GradientAccumulationScheduler", scheduling=value)])
    return Mapped({"accumulate_grad_batches": value})


def map_terminate_on_nan(value: Any) -> Mapped:
    if not value:
        return Mapped()
    return Mapped(
        {"detect_anomaly": True},
        caveats=["terminate_on_nan=True -> detect_anomaly=True: anomaly mode catches NaN in backward and is slower"],
    )


def map_log_gpu_memory(value: Any) -> Mapped:
    if not value:
        return Mapped()
    return Mapped(
        callbacks=[_spec(CALLBACKS_MODULE, "DeviceStatsMonitor")],
        caveats=["log_gpu_memory -> DeviceStatsMonitor(): the logged metric names differ"],
    )


def map_resume_from_checkpoint(value: Any) -> Mapped:
    if value is None:
        return Mapped()
    return Mapped(fit_kwargs={"ckpt_path": value})


def map_amp_backend(value: Any) -> Mapped:
    if value in (None, "native"):
        return Mapped()
    raise NoEquivalent(
        "amp_backend='apex' was removed in 2.0: native AMP is the only backend; use precision='16-mixed' "
        "(numerics differ from apex)"
    )


def map_amp_level(value: Any) -> Mapped:
    return Mapped(caveats=[] if value is None else [f"amp_level={value!r} dropped: it only applied to apex"])


def map_move_metrics_to_cpu(value: Any) -> Mapped:
    if not value:
        return Mapped()
    raise NoEquivalent("move_metrics_to_cpu was removed in 2.0: logged tensors stay on their device")


def map_multiple_trainloader_mode(value: Any) -> Mapped:
    if value in (None, "max_size_cycle"):
        return Mapped()
    raise NeedsReview(
        f"multiple_trainloader_mode={value!r} was removed: return "
        f"CombinedLoader(loaders, mode={value!r}) from train_dataloader() "
        "(from lightning.pytorch.utilities import CombinedLoader)"
    )


def map_auto_lr_find(value: Any) -> Mapped:
    if not value:
        return Mapped()
    attr = "" if value is True else value
    raise NeedsReview(
        "auto_lr_find was removed in 2.0: after building the trainer call "
        f"Tuner(trainer).lr_find(model, update_attr=True, attr_name={attr!r}) "
        "(from lightning.pytorch.tuner import Tuner), or add callbacks=[LearningRateFinder()]"
    )


def map_auto_scale_batch_size(value: Any) -> Mapped:
    if not value:
        return Mapped()
    mode = "power" if value is True else value
    raise NeedsReview(
        "auto_scale_batch_size was removed in 2.0: call "
        f"Tuner(trainer).scale_batch_size(model, mode={mode!r}) (from lightning.pytorch.tuner import Tuner), "
        f"or add callbacks=[BatchSizeFinder(mode={mode!r})]"
    )


def map_stochastic_weight_avg(value: Any) -> Mapped:
    if not value:
        return Mapped()
    raise NeedsReview(
        "stochastic_weight_avg=True was removed in 1.7: add callbacks=[StochasticWeightAveraging(swa_lrs=<lr>)]; "
        "swa_lrs is required now (the old flag used the optimizer's lr)"
    )


def map_track_grad_norm(value: Any) -> Mapped:
    if value in (-1, None):
        return Mapped()
    raise NeedsReview(
        f"track_grad_norm={value!r} was removed in 2.0: override on_before_optimizer_step(self, optimizer) with "
        f"self.log_dict(grad_norm(self, norm_type={value!r}), on_step=True, on_epoch=True) "
        "(from lightning.pytorch.utilities import grad_norm)"
    )


def _needs_review(advice: str, *, unless: tuple[Any, ...] = (None, False)) -> Callable[[Any], Mapped]:
    def mapper(value: Any) -> Mapped:
        if any(value is u or (value == u and type(value) is type(u)) for u in unless):
            return Mapped()
        raise NeedsReview(advice)

    return mapper


def _no_equivalent(advice: str, *, unless: tuple[Any, ...] = (None, False)) -> Callable[[Any], Mapped]:
    def mapper(value: Any) -> Mapped:
        if any(value is u or (value == u and type(value) is type(u)) for u in unless):
            return Mapped()
        raise NoEquivalent(advice)

    return mapper


def _drop(value: Any) -> Mapped:
    return Mapped()


def _device_kwargs(mapper: Callable[[Any], dict[str, Any]]) -> Callable[[Any], Mapped]:
    return lambda value: Mapped(dict(mapper(value)))


@dataclass(frozen=True)
class TrainerArgFact:
    """One legacy `Trainer(...)` argument (A.1, A.2): what replaces it, when it went away, and how to map it.

    `rename_to`: the value carries over unchanged under this name, so a dynamic value can be migrated too.
    `mapper`: plain value -> `Mapped`; raises `NoEquivalent` / `NeedsReview`.
    """

    name: str
    new: str
    kind: str
    deprecated: str | None
    removed: str | None
    advice: str
    section: str = "A.1"
    rename_to: str | None = None
    mapper: Callable[[Any], Mapped] | None = None

    def message(self) -> str:
        when = []
        if self.deprecated:
            when.append(f"deprecated in {self.deprecated}")
        if self.removed:
            when.append(f"removed in {self.removed}")
        suffix = f" ({', '.join(when)})" if when else ""
        return f"Trainer({self.name}=...) is legacy{suffix}: {self.advice}"


def _arg(name: str, new: str, kind: str, dep: str | None, rem: str | None, advice: str, **kw: Any) -> TrainerArgFact:
    return TrainerArgFact(name, new, kind, dep, rem, advice, **kw)


# Arguments whose handling depends on each other (gpus + accelerator="ddp", gpus + devices, ...) are mapped
# together by `translate_trainer_kwargs`; their `mapper` covers the stand-alone case.
TRAINER_ARGS: dict[str, TrainerArgFact] = {f.name: f for f in [
    _arg("gpus", 'accelerator="cuda", devices=<n>', "value-mapping", "1.7", "2.0",
         "use accelerator='cuda', devices=<n>; 0/None/'0'/[] meant CPU", mapper=_device_kwargs(map_gpus)),
    _arg("tpu_cores", 'accelerator="tpu", devices=<n>', "value-mapping", "1.7", "2.0",
         "use accelerator='tpu', devices=<n>; a one-element list [k] was 1-based and becomes [k-1]",
         mapper=_device_kwargs(map_tpu_cores)),
    _arg("ipus", "lightning-graphcore", "removed-no-equivalent", "1.7", "2.0",
         "IPU support moved to the `lightning-graphcore` package", mapper=_device_kwargs(map_ipus)),
    _arg("num_processes", 'accelerator="cpu", devices=<n>', "value-mapping", "1.7", "2.0",
         "use accelerator='cpu', devices=<n> (plus strategy='ddp_spawn' to keep the 1.x launcher)",
         mapper=_device_kwargs(map_num_processes)),
    _arg("auto_select_gpus", "devices=find_usable_cuda_devices(<n>)", "structural", "1.9", "2.0",
         "use devices=find_usable_cuda_devices(n) (from lightning.pytorch.accelerators import "
         "find_usable_cuda_devices)", mapper=_needs_review(
             "auto_select_gpus only worked together with gpus=<int>; use "
             "devices=find_usable_cuda_devices(n)")),
    _arg("distributed_backend", "strategy=<name>", "value-mapping", "1.4", "1.5",
         "pass the strategy name as strategy=...", mapper=_device_kwargs(
             lambda v: {k: val for k, val in map_legacy_accelerator(v).items() if k == "strategy"}
             or ({"strategy": map_strategy_name(v)} if v else {}))),
    _arg("plugins", "strategy=<name>", "rename", "1.5", "1.7",
         "a strategy name or strategy plugin goes in strategy=...; precision plugins, cluster environments "
         "and CheckpointIO stay in plugins=", mapper=lambda value: map_plugins(value)),
    _arg("amp_backend", 'precision="16-mixed"', "removed-no-equivalent", "1.9", "2.0",
         "drop it: native AMP is the only backend (precision='16-mixed')", mapper=map_amp_backend),
    _arg("amp_level", "(drop)", "removed-no-equivalent", "1.8", "2.0", "drop it: it only applied to apex",
         mapper=map_amp_level),
    _arg("resume_from_checkpoint", "trainer.fit(..., ckpt_path=<path>)", "structural", "1.5", "2.0",
         "pass the path to trainer.fit(..., ckpt_path=path)", mapper=map_resume_from_checkpoint),
    _arg("checkpoint_callback", "enable_checkpointing=<bool>", "rename", "1.5", "1.7",
         "use enable_checkpointing=<bool>", rename_to="enable_checkpointing", mapper=map_checkpoint_callback),
    _arg("progress_bar_refresh_rate", "callbacks=[TQDMProgressBar(refresh_rate=N)]", "value-mapping", "1.5", "1.7",
         "use callbacks=[TQDMProgressBar(refresh_rate=N)], or enable_progress_bar=False for 0",
         mapper=map_progress_bar_refresh_rate),
    _arg("process_position", "callbacks=[TQDMProgressBar(process_position=N)]", "structural", "1.5", "1.7",
         "use callbacks=[TQDMProgressBar(process_position=N)]", mapper=map_process_position),
    _arg("weights_summary", "enable_model_summary / ModelSummary(max_depth=...)", "value-mapping", "1.5", "1.7",
         "'top' is the default; 'full' is callbacks=[ModelSummary(max_depth=-1)]; None is "
         "enable_model_summary=False", mapper=map_weights_summary),
    _arg("flush_logs_every_n_steps", "CSVLogger(flush_logs_every_n_steps=N)", "structural", "1.5", "1.7",
         "pass flush_logs_every_n_steps=N to CSVLogger (TensorBoard: flush_secs via the logger kwargs)",
         mapper=lambda value: Mapped(caveats=[] if value is None else [
             f"flush_logs_every_n_steps={value!r} dropped: it only set how often logs are written; pass it to "
             "CSVLogger(..., flush_logs_every_n_steps=N) to keep it"])),
    _arg("log_gpu_memory", "callbacks=[DeviceStatsMonitor()]", "structural", "1.5", "1.7",
         "use callbacks=[DeviceStatsMonitor()]", mapper=map_log_gpu_memory),
    _arg("stochastic_weight_avg", "callbacks=[StochasticWeightAveraging(swa_lrs=...)]", "structural", "1.5", "1.7",
         "use callbacks=[StochasticWeightAveraging(swa_lrs=<lr>)]", mapper=map_stochastic_weight_avg),
    _arg("terminate_on_nan", "detect_anomaly=True", "value-mapping", "1.5", "1.7",
         "use detect_anomaly=True (approximate: it catches NaN in backward)", mapper=map_terminate_on_nan),
    _arg("track_grad_norm", "grad_norm() in on_before_optimizer_step", "structural", None, "2.0",
         "log grad_norm(self, norm_type=p) from LightningModule.on_before_optimizer_step",
         mapper=map_track_grad_norm),
    _arg("replace_sampler_ddp", "use_distributed_sampler=<bool>", "rename", None, "2.0",
         "use use_distributed_sampler=<bool>", rename_to="use_distributed_sampler"),
    _arg("reload_dataloaders_every_epoch", "reload_dataloaders_every_n_epochs=1", "value-mapping", "1.4", "1.6",
         "use reload_dataloaders_every_n_epochs=1 (0 for False)", mapper=map_reload_dataloaders_every_epoch),
    _arg("multiple_trainloader_mode", "CombinedLoader(..., mode=...)", "structural", None, "2.0",
         "return CombinedLoader(loaders, mode=...) from train_dataloader()", mapper=map_multiple_trainloader_mode),
    _arg("auto_lr_find", "Tuner(trainer).lr_find(model)", "structural", None, "2.0",
         "use Tuner(trainer).lr_find(model) or the LearningRateFinder callback", mapper=map_auto_lr_find),
    _arg("auto_scale_batch_size", "Tuner(trainer).scale_batch_size(model)", "structural", None, "2.0",
         "use Tuner(trainer).scale_batch_size(model) or the BatchSizeFinder callback",
         mapper=map_auto_scale_batch_size),
    _arg("move_metrics_to_cpu", "(none)", "removed-no-equivalent", None, "2.0",
         "drop it: logged tensors stay on their device", mapper=map_move_metrics_to_cpu),
    _arg("prepare_data_per_node", "self.prepare_data_per_node = <bool> in the module", "structural", "1.5", "1.7",
         "set self.prepare_data_per_node = <bool> in the LightningModule/LightningDataModule __init__",
         mapper=_needs_review("prepare_data_per_node moved to the module: set self.prepare_data_per_node = "
                              "<bool> in the LightningModule/LightningDataModule __init__", unless=(True, None))),
    _arg("truncated_bptt_steps", "(none)", "removed-no-equivalent", "1.3", "2.0",
         "TBPTT was removed: use manual optimization and split the batch in training_step",
         mapper=_no_equivalent("truncated_bptt_steps was removed: use manual optimization and split the batch "
                               "in training_step", unless=(None, 0))),
    _arg("weights_save_path", "ModelCheckpoint(dirpath=...)", "structural", "1.6", "1.8",
         "use callbacks=[ModelCheckpoint(dirpath=path)] or default_root_dir=path",
         mapper=_needs_review("weights_save_path was removed: use callbacks=[ModelCheckpoint(dirpath=path)] "
                              "or default_root_dir=path")),
    _arg("max_steps", "max_steps=-1", "value-mapping", "1.5", "1.7", "use max_steps=-1 for 'no limit'",
         section="A.1", mapper=map_max_steps),
    _arg("accumulate_grad_batches", "GradientAccumulationScheduler(scheduling=...)", "structural", None, "2.0",
         "a dict schedule is callbacks=[GradientAccumulationScheduler(scheduling={...})]; None is 1",
         mapper=map_accumulate_grad_batches),
    _arg("automatic_optimization", "self.automatic_optimization = False", "structural", "1.1", "1.3",
         "set self.automatic_optimization = False in the LightningModule __init__",
         mapper=_needs_review("automatic_optimization moved to the module: set self.automatic_optimization = "
                              "False in the LightningModule __init__", unless=(True, None))),
    _arg("enable_pl_optimizer", "(drop)", "removed", "1.1", "1.3", "drop it", mapper=_drop),
    _arg("profiler", 'profiler="simple"', "value-mapping", "1.0.4", "1.3", "use profiler='simple' for True",
         mapper=map_profiler),
    _arg("overfit_pct", "overfit_batches", "rename", None, "1.0", "use overfit_batches", rename_to="overfit_batches"),
    _arg("row_log_interval", "log_every_n_steps", "rename", None, "1.0", "use log_every_n_steps",
         rename_to="log_every_n_steps"),
    _arg("log_save_interval", "CSVLogger(flush_logs_every_n_steps=N)", "structural", None, "1.0",
         "configure flushing on the logger", mapper=_needs_review("log_save_interval was removed: configure "
                                                                  "flushing on the logger")),
    _arg("early_stop_callback", "callbacks=[EarlyStopping(...)]", "structural", None, "1.0",
         "use callbacks=[EarlyStopping(monitor=...)]", mapper=_needs_review(
             "early_stop_callback was removed: use callbacks=[EarlyStopping(monitor=...)]")),
]}

# Arguments that exist in 2.x but whose legacy *values* need mapping (A.2, A.5, A.6).
TRAINER_VALUE_MAPPED_ARGS = ("accelerator", "strategy", "precision")
# Arguments that select the device; when a legacy call has none of them it ran on CPU (A.2).
DEVICE_SELECTING_ARGS = frozenset({"accelerator", "devices", "gpus", "tpu_cores", "ipus", "num_processes",
                                   "distributed_backend", "auto_select_gpus"})
DEFAULT_DEVICE_1X = {"accelerator": "cpu"}

# Positional `Trainer(...)` parameter order. 2.x binds positional arguments to its own order (A.2), so every
# positional legacy call must be keywordized with the order it was written for. Positions 0-4 mean the same in
# every 1.x release (position 1 was `checkpoint_callback` before 1.7 and `enable_checkpointing` after).
TRAINER_POSITIONAL_1_0 = (
    "logger", "checkpoint_callback", "callbacks", "default_root_dir", "gradient_clip_val", "process_position",
    "num_nodes", "num_processes", "gpus",
)
TRAINER_POSITIONAL_1_9 = (
    "logger", "enable_checkpointing", "callbacks", "default_root_dir", "gradient_clip_val",
    "gradient_clip_algorithm", "num_nodes", "num_processes", "devices", "gpus", "auto_select_gpus", "tpu_cores",
    "ipus", "enable_progress_bar", "overfit_batches", "track_grad_norm", "check_val_every_n_epoch",
    "fast_dev_run", "accumulate_grad_batches", "max_epochs", "min_epochs", "max_steps", "min_steps", "max_time",
    "limit_train_batches", "limit_val_batches", "limit_test_batches", "limit_predict_batches",
    "val_check_interval", "log_every_n_steps", "accelerator", "strategy", "sync_batchnorm", "precision",
    "enable_model_summary", "num_sanity_val_steps", "resume_from_checkpoint", "profiler", "benchmark",
    "deterministic", "reload_dataloaders_every_n_epochs", "auto_lr_find", "replace_sampler_ddp",
    "detect_anomaly", "auto_scale_batch_size", "plugins", "amp_backend", "amp_level", "move_metrics_to_cpu",
    "multiple_trainloader_mode", "inference_mode",
)
TRAINER_POSITIONAL_STABLE = 5  # the first 5 positions agree across 1.x (modulo the checkpoint flag's rename)

# `Trainer.add_argparse_args` in 1.9.5 (B.1): (argument, 1.9.5 default, how the command-line string was parsed), in
# signature order. Kinds: "bool" (str_to_bool, `--flag` alone means True), "bool_or_int", "bool_or_str", "int",
# "float", "str", "int_or_float", "gpus" (an int unless it holds a comma or is "-1"), "precision". `callbacks` and
# `deterministic` were not command-line arguments. Read from the real 1.9.5 parser.
TRAINER_ARGPARSE_1_9: tuple[tuple[str, Any, str], ...] = (
    ("logger", True, "bool"), ("enable_checkpointing", True, "bool"), ("default_root_dir", None, "str"),
    ("gradient_clip_val", None, "int_or_float"), ("gradient_clip_algorithm", None, "str"), ("num_nodes", 1, "int"),
    ("num_processes", None, "int"), ("devices", None, "str"), ("gpus", None, "gpus"),
    ("auto_select_gpus", None, "bool"), ("tpu_cores", None, "gpus"), ("ipus", None, "int"),
    ("enable_progress_bar", True, "bool"), ("overfit_batches", 0.0, "int_or_float"), ("track_grad_norm", -1, "float"),
    ("check_val_every_n_epoch", 1, "int"), ("fast_dev_run", False, "bool_or_int"),
    ("accumulate_grad_batches", None, "int"), ("max_epochs", None, "int"), ("min_epochs", None, "int"),
    ("max_steps", -1, "int"), ("min_steps", None, "int"), ("max_time", None, "str"),
    ("limit_train_batches", None, "int_or_float"), ("limit_val_batches", None, "int_or_float"),
    ("limit_test_batches", None, "int_or_float"), ("limit_predict_batches", None, "int_or_float"),
    ("val_check_interval", None, "int_or_float"), ("log_every_n_steps", 50, "int"), ("accelerator", None, "str"),
    ("strategy", None, "str"), ("sync_batchnorm", False, "bool"), ("precision", 32, "precision"),
    ("enable_model_summary", True, "bool"), ("num_sanity_val_steps", 2, "int"),
    ("resume_from_checkpoint", None, "str"), ("profiler", None, "str"), ("benchmark", None, "bool"),
    ("reload_dataloaders_every_n_epochs", 0, "int"), ("auto_lr_find", False, "bool_or_str"),
    ("replace_sampler_ddp", True, "bool"), ("detect_anomaly", False, "bool"),
    ("auto_scale_batch_size", False, "bool_or_str"), ("plugins", None, "str"), ("amp_backend", None, "str"),
    ("amp_level", None, "str"), ("move_metrics_to_cpu", False, "bool"),
    ("multiple_trainloader_mode", "max_size_cycle", "str"), ("inference_mode", True, "bool"),
)

# The 2.6 Trainer parameters, for recognising arguments that need no change.
TRAINER_2X_PARAMS = frozenset({
    "accelerator", "strategy", "devices", "num_nodes", "precision", "logger", "callbacks", "fast_dev_run",
    "max_epochs", "min_epochs", "max_steps", "min_steps", "max_time", "limit_train_batches", "limit_val_batches",
    "limit_test_batches", "limit_predict_batches", "overfit_batches", "val_check_interval",
    "check_val_every_n_epoch", "num_sanity_val_steps", "log_every_n_steps", "enable_checkpointing",
    "enable_progress_bar", "enable_model_summary", "accumulate_grad_batches", "gradient_clip_val",
    "gradient_clip_algorithm", "deterministic", "benchmark", "inference_mode", "use_distributed_sampler",
    "profiler", "detect_anomaly", "barebones", "plugins", "sync_batchnorm", "reload_dataloaders_every_n_epochs",
    "default_root_dir", "enable_autolog_hparams", "model_registry",
})


def positional_trainer_names(count: int) -> tuple[str, ...]:
    """Names for the first `count` positional arguments of a 1.x `Trainer(...)` call (1.9 order)."""
    if count > len(TRAINER_POSITIONAL_1_9):
        raise NoEquivalent(f"Trainer() takes at most {len(TRAINER_POSITIONAL_1_9)} positional arguments")
    return TRAINER_POSITIONAL_1_9[:count]


# The arguments that together select accelerator, devices and strategy; they are mapped as one group.
DEVICE_GROUP = ("gpus", "tpu_cores", "ipus", "num_processes", "devices", "accelerator", "distributed_backend",
                "auto_select_gpus", "strategy")
LEGACY_DEVICE_ARGS = frozenset({"gpus", "tpu_cores", "ipus", "num_processes", "distributed_backend",
                                "auto_select_gpus"})


def device_group_is_legacy(kwargs: Mapping[str, Any]) -> bool:
    """Whether the device arguments of a call use any 1.x spelling (so `translate_device_kwargs` has work)."""
    return bool(LEGACY_DEVICE_ARGS & set(kwargs)) or is_legacy_accelerator_value(kwargs.get("accelerator")) or (
        isinstance(kwargs.get("strategy"), str) and _strategy_changes(kwargs["strategy"]))


def _strategy_changes(name: str) -> bool:
    return name in STRATEGIES_REMOVED or STRATEGY_RENAMES.get(name, name) != name


def translate_device_kwargs(kwargs: Mapping[str, Any]) -> Mapped:
    """Map the device group of a 1.x Trainer call (A.1, A.3-A.5) onto accelerator/devices/strategy.

    Honours the 1.x interactions: `distributed_backend` wins over `accelerator`; a strategy name passed as
    `accelerator` becomes `strategy`; `gpus` wins over `devices`; `num_processes` together with `gpus` meant CPU
    processes; `auto_select_gpus` only applied to an int `gpus`. Raises `LegacyFactError` for what cannot be
    mapped. Only keys of `DEVICE_GROUP` are read.
    """
    out = Mapped()
    kwargs = _without_single_device_dp(kwargs)
    backend = kwargs.get("distributed_backend")
    accelerator = kwargs.get("accelerator")
    gpus = kwargs.get("gpus")
    num_processes = kwargs.get("num_processes")
    tpu_cores = kwargs.get("tpu_cores")
    devices = kwargs.get("devices")
    auto_select = kwargs.get("auto_select_gpus")
    if kwargs.get("ipus"):
        map_ipus(kwargs["ipus"])

    chosen: dict[str, Any] = {}
    if backend is not None:
        chosen.update({k: v for k, v in map_legacy_accelerator(backend).items() if k == "strategy"}
                      or {"strategy": map_strategy_name(backend)})
        if accelerator is not None and not is_legacy_accelerator_value(accelerator):
            chosen["accelerator"] = accelerator
    elif accelerator is not None:
        chosen.update(map_legacy_accelerator(accelerator))

    implied: dict[str, Any] = {}
    gpus_given = "gpus" in kwargs and not _is_cpu_gpus(gpus)
    if gpus_given and num_processes not in (None, 1):
        implied = map_num_processes(num_processes)  # 1.x let num_processes win over gpus (A.1)
    elif tpu_cores is not None:
        implied = map_tpu_cores(tpu_cores)
    elif "gpus" in kwargs and (gpus_given or num_processes in (None, 1)):
        implied = map_gpus(gpus)
        if auto_select and isinstance(gpus, int) and gpus > 0:
            implied["devices"] = _spec(f"{NEW_ROOT}.accelerators", "find_usable_cuda_devices", gpus)
        if devices is not None and implied.get("accelerator") != "cpu":
            out.caveats.append("1.x ignored devices= when gpus= was given; the gpus value is kept")
            devices = None
    elif "num_processes" in kwargs:
        implied = map_num_processes(num_processes)
    if auto_select and "find_usable_cuda_devices" not in repr(implied.get("devices")):
        out.caveats.append("auto_select_gpus only applied together with gpus=<int>; dropped")
    if devices is not None:
        implied.setdefault("devices", devices)
    result = {**implied, **{k: v for k, v in chosen.items() if not (k == "accelerator" and v in (None, "auto")
                                                                    and "accelerator" in implied)}}
    if chosen.get("accelerator") == "cpu" and implied.get("accelerator") not in (None, "cpu"):
        result["accelerator"] = implied["accelerator"]  # ddp_cpu only said "cpu" when no device flag did
    strategy = kwargs.get("strategy")
    if strategy is not None:
        result["strategy"] = map_strategy_name(strategy) if isinstance(strategy, str) else strategy
    out.trainer_kwargs = result
    return out


def _without_single_device_dp(kwargs: Mapping[str, Any]) -> Mapping[str, Any]:
    """DataParallel over one GPU only ran on that GPU: 2.x's single-device run is the same (2.x has no "dp")."""
    count = kwargs.get("gpus", kwargs.get("devices"))
    single = count == 1 and not isinstance(count, bool) or (isinstance(count, (list, tuple)) and len(count) == 1)
    if not single or "dp" not in (kwargs.get("distributed_backend"), kwargs.get("accelerator"), kwargs.get("strategy")):
        return kwargs
    return {k: v for k, v in kwargs.items() if v != "dp" or k not in ("distributed_backend", "accelerator", "strategy")}


def _is_cpu_gpus(value: Any) -> bool:
    return value is None or any(value == cpu and type(value) is type(cpu) for cpu in GPUS_CPU_VALUES)


def map_plugins(value: Any) -> Mapped:
    """`plugins="ddp_sharded"` (a strategy name, 1.x) -> `strategy=`; real plugins stay in `plugins=`."""
    if isinstance(value, str) and (value in STRATEGY_RENAMES or value in STRATEGIES_REMOVED):
        return Mapped({"strategy": map_strategy_name(value)})
    return Mapped({"plugins": value})


def map_trainer_arg(name: str, value: Any, *, on_tpu: bool = False) -> Mapped:
    """Map one Trainer argument outside the device group. Arguments fine in 2.x come back unchanged."""
    if name == "precision":
        return Mapped({"precision": map_precision(value, on_tpu=on_tpu)})
    fact = TRAINER_ARGS.get(name)
    if fact is None:
        return Mapped({name: value})
    if fact.mapper is not None:
        return fact.mapper(value)
    return Mapped({fact.rename_to or name: value})


def trainer_arg_is_legacy(name: str, value: Any) -> bool:
    if name in TRAINER_ARGS and name not in ("plugins",) and name not in TRAINER_2X_PARAMS:
        return True
    if name == "plugins":
        return isinstance(value, str) and (value in STRATEGY_RENAMES or value in STRATEGIES_REMOVED)
    if name == "precision":
        return isinstance(value, (int, str)) and not isinstance(value, bool) and value in PRECISION_MAP
    if name == "max_steps":
        return value is None
    if name == "accumulate_grad_batches":
        return value is None or isinstance(value, dict)
    if name == "profiler":
        return isinstance(value, bool)
    return False


@dataclass
class TrainerTranslation(Mapped):
    """`translate_trainer_kwargs` result: the mapped parts plus, per legacy argument, what could not be mapped
    (those arguments are kept unchanged in `trainer_kwargs`)."""

    problems: dict[str, LegacyFactError] = field(default_factory=dict)


def translate_trainer_kwargs(kwargs: Mapping[str, Any], *, add_default_device: bool = False) -> TrainerTranslation:
    """Map a whole 1.x `Trainer(**kwargs)` of plain values onto 2.x (A.1-A.6).

    `add_default_device` adds `accelerator="cpu"` when the call selected no device: a bare 1.x `Trainer()` ran
    on CPU, a 2.x one takes every GPU (A.2).
    """
    out = TrainerTranslation()
    group = {k: v for k, v in kwargs.items() if k in DEVICE_GROUP}
    if device_group_is_legacy(group):
        try:
            out.merge(translate_device_kwargs(group))
        except LegacyFactError as err:
            out.problems[",".join(k for k in group if k in LEGACY_DEVICE_ARGS or k == "accelerator")] = err
            out.trainer_kwargs.update(group)
    else:
        out.trainer_kwargs.update(group)
    if add_default_device and not (DEVICE_SELECTING_ARGS & set(kwargs)):
        out.trainer_kwargs.update(DEFAULT_DEVICE_1X)
    on_tpu = out.trainer_kwargs.get("accelerator") == "tpu"
    for name, value in kwargs.items():
        if name in DEVICE_GROUP:
            continue
        if not trainer_arg_is_legacy(name, value):
            out.trainer_kwargs[name] = value
            continue
        try:
            out.merge(map_trainer_arg(name, value, on_tpu=on_tpu))
        except LegacyFactError as err:
            out.problems[name] = err
            out.trainer_kwargs[name] = value
    return out


def _version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split(".")[:2])


# ----------------------------------------------------------------------------------------------------------------
# B.1  Trainer method keywords and removed methods
# ----------------------------------------------------------------------------------------------------------------

# method -> {old keyword: new keyword}
TRAINER_METHOD_KWARG_RENAMES: dict[str, dict[str, str]] = {
    "fit": {"train_dataloader": "train_dataloaders"},
    "validate": {"val_dataloaders": "dataloaders", "dataloader": "dataloaders"},
    "test": {"test_dataloaders": "dataloaders", "dataloader": "dataloaders"},
    "predict": {"dataloader": "dataloaders"},
}
# `dataloader=` never existed in 1.x; the primer users learn from spells it that way (issue 5).

TRAINER_METHODS_REMOVED: dict[str, str] = {
    "tune": "trainer.tune() was removed in 2.0: use tuner = Tuner(trainer) (from lightning.pytorch.tuner import "
            "Tuner), then tuner.scale_batch_size(model, ...) / tuner.lr_find(model, ...)",
    "from_argparse_args": "Trainer.from_argparse_args was removed in 2.0: build the Trainer with explicit "
                          "arguments, or use LightningCLI",
    "add_argparse_args": "Trainer.add_argparse_args was removed in 2.0: add the arguments you need with "
                         "parser.add_argument(...), or use LightningCLI",
    "parse_argparser": "Trainer.parse_argparser was removed in 2.0: use LightningCLI",
    "default_attributes": "Trainer.default_attributes was removed in 2.0: use LightningCLI",
    "match_env_arguments": "Trainer.match_env_arguments was removed in 2.0: use LightningCLI",
    "run_stage": "trainer.run_stage() was removed in 1.8: call trainer.fit/validate/test/predict",
    "call_hook": "trainer.call_hook() was removed in 1.8 (no public replacement)",
    "reset_train_dataloader": "trainer.reset_train_dataloader() was removed in 2.0: trainer.fit_loop.setup_data()",
    "reset_val_dataloader": "trainer.reset_val_dataloader() was removed in 2.0: trainer.validate_loop.setup_data()",
    "reset_test_dataloader": "trainer.reset_test_dataloader() was removed in 2.0: trainer.test_loop.setup_data()",
    "get_model": "trainer.get_model() was removed in 1.4: use trainer.lightning_module",
}
# Removed methods with a mechanical replacement expression; `{obj}` is the trainer expression.
TRAINER_METHOD_REPLACEMENTS: dict[str, str] = {"get_model": "{obj}.lightning_module"}
# `trainer.tuner.<method>(...)` (1.x) -> `Tuner(trainer).<method>(...)` (2.x, same parameters in the same order),
# with the keyword arguments whose 2.x default differs given their 1.x value (lr_find's update_attr).
TUNER_CLASS = ObjectSpec(f"{NEW_ROOT}.tuner", "Tuner")
TUNER_METHOD_1X_DEFAULTS: dict[str, dict[str, Any]] = {"lr_find": {"update_attr": False}, "scale_batch_size": {}}
SCALE_BATCH_SIZE_MAX_TRIALS_1X = 25
# Argparse helpers: the argparse parameters of the 2.6 Trainer that `from_argparse_args` may pass through.
ARGPARSE_HELPERS = frozenset({"from_argparse_args", "add_argparse_args", "parse_argparser"})


# ----------------------------------------------------------------------------------------------------------------
# B.2  Trainer attributes
# ----------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AttributeFact:
    """A removed attribute. `template` (with `{obj}` for the owner expression) is its mechanical 2.x spelling,
    used only when reading it; without a template a human has to rewrite it (`advice`)."""

    name: str
    advice: str
    template: str | None = None
    deprecated: str | None = None
    removed: str | None = None


TRAINER_ATTRIBUTES: dict[str, AttributeFact] = {f.name: f for f in [
    AttributeFact("running_sanity_check", "use trainer.sanity_checking", "{obj}.sanity_checking", "1.3", "1.5"),
    AttributeFact("train_loop", "use trainer.fit_loop", "{obj}.fit_loop", "1.4", "1.6"),
    AttributeFact("accelerator_backend", "use trainer.accelerator", "{obj}.accelerator", "1.2", "1.4"),
    AttributeFact("training_type_plugin", "use trainer.strategy", "{obj}.strategy", "1.6", "1.8"),
    AttributeFact("data_parallel_device_ids", "use trainer.device_ids", "{obj}.device_ids", "1.6", "1.8"),
    AttributeFact("validated_ckpt_path", "use trainer.ckpt_path", "{obj}.ckpt_path", "1.6", "1.8"),
    AttributeFact("tested_ckpt_path", "use trainer.ckpt_path", "{obj}.ckpt_path", "1.6", "1.8"),
    AttributeFact("predicted_ckpt_path", "use trainer.ckpt_path", "{obj}.ckpt_path", "1.6", "1.8"),
    AttributeFact("resume_from_checkpoint", "use trainer.ckpt_path", "{obj}.ckpt_path", None, "2.0"),
    AttributeFact("disable_validation", "use not trainer.enable_validation", "(not {obj}.enable_validation)",
                  "1.4", "1.6"),
    AttributeFact("use_amp", "use trainer.precision in ('16-mixed', 'bf16-mixed')",
                  '({obj}.precision in ("16-mixed", "bf16-mixed"))', "1.6", "1.8"),
    AttributeFact("should_rank_save_checkpoint", "use trainer.is_global_zero", "{obj}.is_global_zero", "1.6", "1.8"),
    AttributeFact("lightning_optimizers", "use model.optimizers()", None, "1.6", "1.8"),
    AttributeFact("progress_bar_dict", "use trainer.progress_bar_metrics (2.x has no automatic 'loss' entry: "
                  "log it with self.log('loss', loss, prog_bar=True))", None, "1.5", "1.7"),
    AttributeFact("num_gpus", "use trainer.num_devices when the accelerator is CUDA (it is >= 1 on CPU)", None,
                  "1.6", "1.8"),
    AttributeFact("gpus", "use trainer.num_devices / trainer.device_ids", None, "1.6", "1.8"),
    AttributeFact("root_gpu", "use trainer.strategy.root_device.index", "{obj}.strategy.root_device.index",
                  "1.6", "1.8"),
    AttributeFact("tpu_cores", "use trainer.num_devices", "{obj}.num_devices", "1.6", "1.8"),
    AttributeFact("ipus", "use trainer.num_devices", "{obj}.num_devices", "1.6", "1.8"),
    AttributeFact("num_processes", "use trainer.num_devices", "{obj}.num_devices", "1.6", "1.8"),
    AttributeFact("weights_save_path", "use trainer.checkpoint_callback.dirpath or trainer.default_root_dir",
                  None, "1.6", "1.8"),
    AttributeFact("lr_schedulers", "use trainer.lr_scheduler_configs (dataclasses: cfg.scheduler instead of "
                  "d['scheduler'])", None, "1.6", "1.8"),
    AttributeFact("amp_backend", "removed: native AMP is the only backend", None, "1.9", "2.0"),
    AttributeFact("amp_level", "removed: it only applied to apex", None, "1.9", "2.0"),
    AttributeFact("using_native_amp", "removed: native AMP is the only backend", None, "1.9", "2.0"),
    AttributeFact("slurm_job_id", "use SLURMEnvironment.job_id() (lightning.pytorch.plugins.environments)", None,
                  "1.6", "1.7"),
    AttributeFact("verbose_evaluate", "use trainer.validate_loop.verbose / trainer.test_loop.verbose", None,
                  "1.6", "1.8"),
    AttributeFact("tuner", "use Tuner(trainer) (from lightning.pytorch.tuner import Tuner)", None, None, "2.0"),
    AttributeFact("optimizer_frequencies", "removed: use manual optimization for per-optimizer frequencies", None,
                  None, "2.0"),
    AttributeFact("data_parallel", "use isinstance(trainer.strategy, ParallelStrategy)", None, None, "2.0"),
    AttributeFact("accelerator_connector", "private now (trainer._accelerator_connector)", None, None, "1.6"),
]}

# Trainer attributes that were always lists in 1.x and are what the hook returned in 2.x (B.2).
TRAINER_LOADER_LISTS: dict[str, str] = {
    name: f"1.x always gave a list; 2.x gives exactly what {hook}() returned (a single DataLoader is not wrapped), "
          f"so indexing it breaks with one loader"
    for name, hook in (("val_dataloaders", "val_dataloader"), ("test_dataloaders", "test_dataloader"),
                       ("predict_dataloaders", "predict_dataloader"))
}

# LightningModule attributes (C.3) with a mechanical spelling; `{obj}` is the module expression (`self`).
MODULE_ATTRIBUTES: dict[str, AttributeFact] = {f.name: f for f in [
    AttributeFact("datamodule", "use self.trainer.datamodule", "{obj}.trainer.datamodule", "1.3", "1.5"),
    AttributeFact("use_amp", "use self.trainer.precision in ('16-mixed', 'bf16-mixed')",
                  '({obj}.trainer.precision in ("16-mixed", "bf16-mixed"))', "1.6", "1.8"),
    AttributeFact("loaded_optimizer_states_dict", "removed in 1.6 (no replacement)", None, "1.4", "1.6"),
]}
# `self.hparams = x` (C.3): 2.x has no setter; the replacement call.
HPARAMS_ASSIGNMENT_REPLACEMENT = "save_hyperparameters"


# ----------------------------------------------------------------------------------------------------------------
# C.1 / C.2 / C.5  hooks
# ----------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class EpochEndFact:
    """`training_epoch_end(self, outputs)` & co. (C.1): the 2.x hook and how the step outputs were collected."""

    old: str
    new: str
    step: str
    outputs_attr: str  # list attribute the migrated code keeps the step outputs in
    detach_loss: bool  # 1.x passed training outputs as dicts with the loss detached


EPOCH_END_HOOKS: dict[str, EpochEndFact] = {f.old: f for f in [
    EpochEndFact("training_epoch_end", "on_train_epoch_end", "training_step", "training_step_outputs", True),
    EpochEndFact("validation_epoch_end", "on_validation_epoch_end", "validation_step",
                 "validation_step_outputs", False),
    EpochEndFact("test_epoch_end", "on_test_epoch_end", "test_step", "test_step_outputs", False),
]}

# `*_step_end(self, step_output)` (C.1): 1.x fed the step's return value through it; 2.x silently never calls it.
STEP_END_HOOKS: dict[str, str] = {
    "training_step_end": "training_step",
    "validation_step_end": "validation_step",
    "test_step_end": "test_step",
}

# `on_epoch_start/end` (C.1, C.5) ran at the start/end of train, validation and test epochs in 1.x.
EPOCH_HOOK_EXPANSIONS: dict[str, tuple[str, ...]] = {
    "on_epoch_start": ("on_train_epoch_start", "on_validation_epoch_start", "on_test_epoch_start"),
    "on_epoch_end": ("on_train_epoch_end", "on_validation_epoch_end", "on_test_epoch_end"),
}


@dataclass(frozen=True)
class HookFact:
    """A hook that was removed, renamed or changed signature (C.1, C.2, C.5).

    `rename_to`: the 2.x hook with the same meaning and parameters. `drop_params`: legacy parameter names 2.x no
    longer passes (removed when the body does not use them). `default_params`: parameters that need a default now.
    `add_params`: parameters 2.x passes that the legacy signature lacks. `owner`: "module", "callback" or "both".
    """

    name: str
    owner: str
    advice: str
    rename_to: str | None = None
    drop_params: tuple[str, ...] = ()
    default_params: tuple[tuple[str, Any], ...] = ()
    add_params: tuple[str, ...] = ()
    param_renames: tuple[tuple[str, str], ...] = ()
    removed: str | None = None
    mechanical: bool = True  # False: the codemod only leaves a review note


HOOKS: dict[tuple[str, str], HookFact] = {}


def _hook(fact: HookFact) -> None:
    owners = ("module", "callback") if fact.owner == "both" else (fact.owner,)
    for owner in owners:
        HOOKS[(owner, fact.name)] = fact


_OPT_IDX = OPTIMIZER_IDX_NAMES = ("optimizer_idx", "opt_idx")
for _fact in [
    # C.2 signature changes (LightningModule)
    HookFact("optimizer_step", "module", "2.x calls optimizer_step(epoch, batch_idx, optimizer, optimizer_closure); "
             "call optimizer.step(closure=optimizer_closure)",
             drop_params=(*_OPT_IDX, "on_tpu", "using_native_amp", "using_lbfgs"),
             default_params=(("optimizer_closure", None),),
             param_renames=(("second_order_closure", "optimizer_closure"),), removed="2.0"),
    HookFact("optimizer_zero_grad", "module", "2.x calls optimizer_zero_grad(epoch, batch_idx, optimizer)",
             drop_params=_OPT_IDX, removed="2.0"),
    HookFact("backward", "module", "2.x calls backward(loss, *args, **kwargs)",
             drop_params=("optimizer", *_OPT_IDX), removed="2.0"),
    HookFact("on_before_optimizer_step", "both", "2.x passes only the optimizer", drop_params=_OPT_IDX,
             removed="2.0"),
    HookFact("configure_gradient_clipping", "module",
             "2.x calls configure_gradient_clipping(optimizer, gradient_clip_val, gradient_clip_algorithm)",
             drop_params=_OPT_IDX, removed="2.0"),
    HookFact("lr_scheduler_step", "module", "2.x calls lr_scheduler_step(scheduler, metric)", drop_params=_OPT_IDX,
             removed="2.0"),
    HookFact("on_train_batch_start", "both", "2.x does not pass dataloader_idx to the train batch hooks",
             drop_params=("dataloader_idx", "unused"), removed="1.7"),
    HookFact("on_train_batch_end", "both", "2.x does not pass dataloader_idx to the train batch hooks",
             drop_params=("dataloader_idx", "unused"), removed="1.7"),
    HookFact("on_train_epoch_end", "both", "2.x calls on_train_epoch_end without outputs; collect them in "
             "training_step", drop_params=("outputs", "unused"), removed="1.5"),
    HookFact("on_predict_epoch_end", "both", "2.x calls on_predict_epoch_end without results; read "
             "self.trainer.predict_loop.predictions", drop_params=("results", "outputs"), removed="2.0"),
    HookFact("transfer_batch_to_device", "module", "2.x passes dataloader_idx",
             add_params=("dataloader_idx",), removed="1.6"),
    HookFact("finetune_function", "callback", "2.x calls finetune_function(pl_module, epoch, optimizer)",
             drop_params=_OPT_IDX, removed="2.0"),
    # C.1 renamed hooks (same parameters)
    HookFact("on_pretrain_routine_start", "both", "use on_fit_start", rename_to="on_fit_start", removed="1.8"),
    HookFact("on_pretrain_routine_end", "both", "use on_fit_start", rename_to="on_fit_start", removed="1.8"),
    HookFact("on_hpc_save", "module", "use on_save_checkpoint", rename_to="on_save_checkpoint", removed="1.8"),
    HookFact("on_hpc_load", "module", "use on_load_checkpoint", rename_to="on_load_checkpoint", removed="1.8"),
    HookFact("configure_sharded_model", "module", "use configure_model", rename_to="configure_model"),
    # C.1 / C.5 removed hooks that need a human
    HookFact("get_progress_bar_dict", "module", "override get_metrics(self, trainer, pl_module) in a "
             "TQDMProgressBar subclass instead (2.x never calls get_progress_bar_dict)", removed="1.7",
             mechanical=False),
    HookFact("on_post_move_to_device", "module", "delete it: weight tying is automatic in 2.x", removed="1.7",
             mechanical=False),
    HookFact("tbptt_split_batch", "module", "TBPTT was removed in 2.0: use manual optimization and split the "
             "batch in training_step", removed="2.0", mechanical=False),
    HookFact("log_grad_norm", "module", "log grad_norm(self, norm_type) from on_before_optimizer_step "
             "(from lightning.pytorch.utilities import grad_norm)", removed="2.0", mechanical=False),
    HookFact("add_to_queue", "module", "removed in 1.7 (the launcher's get_extra_results is private)",
             removed="1.7", mechanical=False),
    HookFact("get_from_queue", "module", "removed in 1.7 (the launcher's update_main_process_results is private)",
             removed="1.7", mechanical=False),
    HookFact("on_batch_start", "callback", "use on_train_batch_start(self, trainer, pl_module, batch, batch_idx)",
             rename_to="on_train_batch_start", add_params=("batch", "batch_idx"), removed="1.8"),
    HookFact("on_batch_end", "callback", "use on_train_batch_end(self, trainer, pl_module, outputs, batch, "
             "batch_idx)", rename_to="on_train_batch_end", add_params=("outputs", "batch", "batch_idx"),
             removed="1.8"),
    HookFact("on_init_start", "callback", "no hook replaces it: move the code to setup() or on_fit_start()",
             removed="1.8", mechanical=False),
    HookFact("on_init_end", "callback", "no hook replaces it: move the code to setup() or on_fit_start()",
             removed="1.8", mechanical=False),
    HookFact("on_before_accelerator_backend_setup", "callback", "use setup(self, trainer, pl_module, stage)",
             removed="1.8", mechanical=False),
    HookFact("on_configure_sharded_model", "callback", "use setup(self, trainer, pl_module, stage)",
             removed="1.8", mechanical=False),
    HookFact("on_keyboard_interrupt", "callback", "use on_exception(self, trainer, pl_module, exception) with "
             "an isinstance(exception, KeyboardInterrupt) check", removed="1.7", mechanical=False),
    HookFact("on_train_dataloader", "module", "move the code into train_dataloader()", removed="1.7",
             mechanical=False),
    HookFact("on_val_dataloader", "module", "move the code into val_dataloader()", removed="1.7", mechanical=False),
    HookFact("on_test_dataloader", "module", "move the code into test_dataloader()", removed="1.7",
             mechanical=False),
    HookFact("on_predict_dataloader", "module", "move the code into predict_dataloader()", removed="1.7",
             mechanical=False),
]:
    _hook(_fact)

for _stage in ("validation", "test", "predict"):
    _hook(HookFact(f"on_{_stage}_batch_start", "both", "dataloader_idx needs a default: 2.x passes it only with "
                   "several dataloaders", default_params=(("dataloader_idx", 0),), removed="2.0"))
    _hook(HookFact(f"on_{_stage}_batch_end", "both", "dataloader_idx needs a default: 2.x passes it only with "
                   "several dataloaders", default_params=(("dataloader_idx", 0),), removed="2.0"))
for _step in ("validation_step", "test_step"):
    _hook(HookFact(_step, "module", "dataloader_idx needs a default with a single dataloader",
                   default_params=(("dataloader_idx", 0),), removed="2.0"))

# Multiple optimizers in automatic optimization (C.2): the GAN pattern that becomes manual optimization.
OPTIMIZER_IDX_PARAM = "optimizer_idx"


# ----------------------------------------------------------------------------------------------------------------
# C.3  self.log arguments
# ----------------------------------------------------------------------------------------------------------------

LOG_METHODS = frozenset({"log", "log_dict"})
LOG_KWARG_RENAMES: dict[str, str] = {"sync_dist_op": "reduce_fx"}
LOG_KWARGS_REMOVED: dict[str, str] = {
    "tbptt_reduce_fx": "removed with TBPTT in 1.6",
    "tbptt_pad_token": "removed with TBPTT in 1.6",
}


# ----------------------------------------------------------------------------------------------------------------
# D.1  import paths
# ----------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ImportMove:
    """`old` (a dotted module or module.Name) -> `new` (dotted), or None when nothing replaces it (`advice`)."""

    old: str
    new: str | None
    advice: str = ""
    review: str = ""  # set when the move is right but the API at the new home differs


_L = NEW_ROOT
_P = OLD_ROOT

_IPU = "IPU (Graphcore) support was removed in 2.0 (it lives on in the separate `lightning-graphcore` package)"
_COLOSSALAI = "Colossal-AI support was removed in 2.0 (it lives on in the separate `lightning-colossalai` package)"
_FSDP_PRECISION = "use lightning.pytorch.plugins.precision.FSDPPrecision (strategy='fsdp' picks it)"
_FAIRSCALE_SHARDING = ("FairScale sharding was removed in 2.0: use strategy='fsdp' "
                       "(lightning.pytorch.strategies.FSDPStrategy)")

# Module prefixes: `old.mod` -> `new.mod`, longest prefix wins, the rest of the path is kept.
MODULE_MOVES: dict[str, ImportMove] = {m.old: m for m in [
    ImportMove(f"{_P}.core.lightning", f"{_L}.core.module"),
    ImportMove(f"{_P}.profiler", f"{_L}.profilers"),
    ImportMove(f"{_P}.profiler.profilers", f"{_L}.profilers"),
    ImportMove(f"{_P}.callbacks.progress.progress", f"{_L}.callbacks.progress.tqdm_progress"),
    ImportMove(f"{_P}.callbacks.swa", f"{_L}.callbacks.stochastic_weight_avg"),
    ImportMove(f"{_P}.callbacks.base", f"{_L}.callbacks.callback"),
    ImportMove(f"{_P}.loggers.base", f"{_L}.loggers.logger"),
    ImportMove(f"{_P}.utilities.cli", f"{_L}.cli"),
    ImportMove(f"{_P}.trainer.supporters", f"{_L}.utilities.combined_loader",
               review="2.x CombinedLoader: call iter() before len(), .loaders is .iterables, and iterating yields "
                      "(batch, batch_idx, dataloader_idx)"),
    ImportMove(f"{_P}.tuner.tuning", f"{_L}.tuner"),
    ImportMove(f"{_P}.strategies.fully_sharded_native", f"{_L}.strategies.fsdp"),
    ImportMove(f"{_P}.plugins.precision.native_amp", f"{_L}.plugins.precision.amp"),
    ImportMove(f"{_P}.accelerators.gpu", f"{_L}.accelerators.cuda"),
    ImportMove(f"{_P}.cluster_environments", f"{_L}.plugins.environments"),
    ImportMove(f"{_P}.utilities.seed", f"{_L}"),
    ImportMove(f"{_P}.utilities.distributed", f"{_L}.utilities.rank_zero"),
    ImportMove(f"{_P}.utilities.warnings", f"{_L}.utilities.rank_zero"),
    ImportMove(f"{_P}.utilities.model_utils", f"{_L}.utilities.model_helpers"),
    ImportMove(f"{_P}.utilities.warning_utils", f"{_L}.utilities.rank_zero"),
    ImportMove(f"{_P}.utilities.apply_func", "lightning.fabric.utilities.apply_func"),
    ImportMove(f"{_P}.utilities.device_dtype_mixin", None,
               "DeviceDtypeModuleMixin is private in 2.x (lightning.fabric.utilities.device_dtype_mixin)"),
    ImportMove(f"{_P}.metrics", "torchmetrics", review="torchmetrics classification metrics need task= "
               "('binary'/'multiclass'/'multilabel') and num_classes; check each call"),
    ImportMove(f"{_P}.core.decorators", None, "core.decorators was removed: delete @auto_move_data "
               "(the Trainer moves batches) and @parameter_validation (weight tying is automatic)"),
    ImportMove(f"{_P}.core.memory", f"{_L}.utilities.model_summary"),
    ImportMove(f"{_P}.core.step_result", None, "TrainResult/EvalResult were removed: use self.log / self.log_dict"),
    ImportMove(f"{_P}.loops", None, "custom loops were removed in 2.0: reimplement with lightning.fabric.Fabric"),
    ImportMove(f"{_P}.lite", None, "LightningLite became lightning.fabric.Fabric: instantiate Fabric and call "
               "fabric.launch(fn) instead of subclassing with run()"),
    ImportMove(f"{_P}.overrides.data_parallel", None, "use trainer.lightning_module to get the unwrapped module"),
    ImportMove(f"{_P}.overrides.fairscale", None, "FairScale support was removed in 2.0"),
    ImportMove(f"{_P}.utilities.argparse_utils", None, "argparse helpers were removed: use LightningCLI"),
    ImportMove(f"{_P}.utilities.meta", None, "use `with trainer.init_module(empty_init=True):` or "
               "LightningModule.configure_model"),
    # the rest of 1.9.5's public module paths that 2.x has no module for (issue 17.7)
    ImportMove(f"{_P}.accelerators.ipu", None, _IPU),
    ImportMove(f"{_P}.strategies.ipu", None, _IPU),
    ImportMove(f"{_P}.plugins.precision.ipu", None, _IPU),
    ImportMove(f"{_P}.callbacks.fault_tolerance", None, "fault-tolerant training was removed in 2.0: checkpoint with "
               "ModelCheckpoint (or OnExceptionCheckpoint) and resume with trainer.fit(ckpt_path=...)"),
    ImportMove(f"{_P}.utilities.auto_restart", None, "fault-tolerant auto-restart was removed in 2.0: resume with "
               "trainer.fit(ckpt_path=...)"),
    ImportMove(f"{_P}.callbacks.quantization", None, "QuantizationAwareTraining was removed in 2.0: use "
               "torch.ao.quantization directly"),
    ImportMove(f"{_P}.core.mixins.device_dtype_mixin", None,
               "DeviceDtypeModuleMixin is private in 2.x (lightning.fabric.utilities.device_dtype_mixin)"),
    ImportMove(f"{_P}.overrides.base", None, "the module wrappers were removed: strategies wrap the model "
               "themselves; use trainer.lightning_module to get the unwrapped module"),
    ImportMove(f"{_P}.plugins.environments.bagua_environment", None, "Bagua support was removed in 2.0"),
    ImportMove(f"{_P}.strategies.bagua", None, "Bagua support was removed in 2.0"),
    ImportMove(f"{_P}.plugins.precision.apex_amp", None, "NVIDIA Apex AMP was removed in 2.0: use "
               "precision='16-mixed' (lightning.pytorch.plugins.precision.MixedPrecision)"),
    ImportMove(f"{_P}.plugins.precision.colossalai", None, _COLOSSALAI),
    ImportMove(f"{_P}.strategies.colossalai", None, _COLOSSALAI),
    ImportMove(f"{_P}.plugins.precision.fsdp_native_native_amp", None, _FSDP_PRECISION),
    ImportMove(f"{_P}.plugins.precision.fully_sharded_native_amp", None, _FSDP_PRECISION),
    ImportMove(f"{_P}.plugins.precision.sharded_native_amp", None, _FAIRSCALE_SHARDING),
    ImportMove(f"{_P}.strategies.sharded", None, _FAIRSCALE_SHARDING),
    ImportMove(f"{_P}.strategies.sharded_spawn", None, _FAIRSCALE_SHARDING),
    ImportMove(f"{_P}.strategies.fully_sharded", None, _FAIRSCALE_SHARDING),
    ImportMove(f"{_P}.strategies.ddp_spawn", None, "DDPSpawnStrategy became "
               "lightning.pytorch.strategies.DDPStrategy(start_method='spawn') (or strategy='ddp_spawn')"),
    ImportMove(f"{_P}.strategies.dp", None, "DataParallelStrategy (strategy='dp') was removed from the Trainer in "
               "2.0: use strategy='ddp' (lightning.pytorch.strategies.DDPStrategy)"),
    ImportMove(f"{_P}.strategies.hivemind", None, "Hivemind support was removed in 2.0 (it lives on in the "
               "separate `lightning-hivemind` package)"),
    ImportMove(f"{_P}.strategies.horovod", None, "Horovod support was removed in 2.0: use strategy='ddp'"),
    ImportMove(f"{_P}.strategies.tpu_spawn", None, "TPUSpawnStrategy became lightning.pytorch.strategies.XLAStrategy"),
    ImportMove(f"{_P}.strategies.utils", None, "the strategy helpers were removed or made private in 2.0"),
    ImportMove(f"{_P}.trainer.progress", None, "the progress trackers are private in 2.x "
               "(lightning.pytorch.loops.progress)"),
    ImportMove(f"{_P}.utilities.device_parser", None, "device parsing is private in 2.x: pass devices= and "
               "accelerator= to the Trainer (lightning.fabric.utilities.device_parser)"),
    ImportMove(f"{_P}.utilities.fetching", None, "the data fetchers are private in 2.x "
               "(lightning.pytorch.loops.fetchers)"),
    ImportMove(f"{_P}.utilities.finite_checks", None, "utilities.finite_checks was removed in 2.0: use "
               "torch.isfinite, or Trainer(detect_anomaly=True)"),
    ImportMove(f"{_P}.utilities.logger", None, "the logger helpers are private in 2.x "
               "(lightning.fabric.utilities.logger)"),
    ImportMove(f"{_P}.utilities.metrics", None, "metrics_to_scalars became "
               "lightning.fabric.utilities.apply_func.convert_tensors_to_scalars"),
    ImportMove(f"{_P}.utilities.optimizer", None, "the optimizer helpers are private in 2.x "
               "(lightning.fabric.utilities.optimizer)"),
]}

# Individual names: exact matches win over MODULE_MOVES.
NAME_MOVES: dict[str, ImportMove] = {m.old: m for m in [
    ImportMove(f"{_P}.core.lightning.LightningModule", f"{_L}.LightningModule"),
    ImportMove(f"{_P}.callbacks.base.Callback", f"{_L}.callbacks.Callback"),
    ImportMove(f"{_P}.callbacks.progress.ProgressBar", f"{_L}.callbacks.TQDMProgressBar"),
    ImportMove(f"{_P}.callbacks.ProgressBar", f"{_L}.callbacks.TQDMProgressBar"),
    ImportMove(f"{_P}.callbacks.progress.progress.ProgressBar", f"{_L}.callbacks.TQDMProgressBar"),
    ImportMove(f"{_P}.callbacks.ProgressBarBase", f"{_L}.callbacks.ProgressBar",
               review="ProgressBarBase.train_batch_idx & co. are gone in 2.x: use the batch_idx hook argument"),
    ImportMove(f"{_P}.callbacks.progress.ProgressBarBase", f"{_L}.callbacks.ProgressBar"),
    ImportMove(f"{_P}.callbacks.progress.base.ProgressBarBase", f"{_L}.callbacks.ProgressBar"),
    ImportMove(f"{_P}.callbacks.progress.base.get_standard_metrics",
               f"{_L}.callbacks.progress.progress_bar.get_standard_metrics",
               review="get_standard_metrics(trainer) no longer takes pl_module"),
    ImportMove(f"{_P}.callbacks.GPUStatsMonitor", f"{_L}.callbacks.DeviceStatsMonitor",
               review="DeviceStatsMonitor(cpu_stats=None) has none of GPUStatsMonitor's arguments"),
    ImportMove(f"{_P}.callbacks.XLAStatsMonitor", f"{_L}.callbacks.DeviceStatsMonitor",
               review="DeviceStatsMonitor(cpu_stats=None) has none of XLAStatsMonitor's arguments"),
    ImportMove(f"{_P}.callbacks.QuantizationAwareTraining", None,
               "QuantizationAwareTraining was removed in 2.0: use torch.ao.quantization directly"),
    ImportMove(f"{_P}.loggers.base.LightningLoggerBase", f"{_L}.loggers.Logger"),
    ImportMove(f"{_P}.loggers.LightningLoggerBase", f"{_L}.loggers.Logger"),
    ImportMove(f"{_P}.loggers.base.rank_zero_experiment", f"{_L}.loggers.logger.rank_zero_experiment"),
    ImportMove(f"{_P}.loggers.base.DummyLogger", f"{_L}.loggers.logger.DummyLogger"),
    ImportMove(f"{_P}.loggers.base.DummyExperiment", f"{_L}.loggers.logger.DummyExperiment"),
    ImportMove(f"{_P}.loggers.base.merge_dicts", f"{_L}.loggers.logger.merge_dicts"),
    ImportMove(f"{_P}.loggers.LoggerCollection", None, "pass a list: Trainer(logger=[a, b]); use trainer.loggers"),
    ImportMove(f"{_P}.loggers.TestTubeLogger", f"{_L}.loggers.TensorBoardLogger",
               review="TensorBoardLogger has no description/debug/create_git_tag arguments"),
    ImportMove(f"{_P}.loggers.NeptuneLogger", None, "NeptuneLogger left Lightning core in 2.6.4: use the neptune "
               "package's own integration"),
    ImportMove(f"{_P}.profiler.BaseProfiler", f"{_L}.profilers.Profiler"),
    ImportMove(f"{_P}.profiler.AbstractProfiler", f"{_L}.profilers.Profiler"),
    ImportMove(f"{_P}.plugins.DDPPlugin", f"{_L}.strategies.DDPStrategy"),
    ImportMove(f"{_P}.plugins.DDPSpawnPlugin", f"{_L}.strategies.DDPStrategy",
               review="DDPSpawnPlugin(...) is DDPStrategy(start_method='spawn', ...)"),
    ImportMove(f"{_P}.plugins.DeepSpeedPlugin", f"{_L}.strategies.DeepSpeedStrategy"),
    ImportMove(f"{_P}.plugins.DDPFullyShardedPlugin", f"{_L}.strategies.FSDPStrategy"),
    ImportMove(f"{_P}.plugins.TPUSpawnPlugin", f"{_L}.strategies.XLAStrategy"),
    ImportMove(f"{_P}.plugins.SingleDevicePlugin", f"{_L}.strategies.SingleDeviceStrategy"),
    ImportMove(f"{_P}.plugins.SingleTPUPlugin", f"{_L}.strategies.SingleDeviceXLAStrategy"),
    ImportMove(f"{_P}.plugins.TrainingTypePlugin", f"{_L}.strategies.Strategy"),
    ImportMove(f"{_P}.plugins.ParallelPlugin", f"{_L}.strategies.ParallelStrategy"),
    ImportMove(f"{_P}.plugins.DataParallelPlugin", None, "DataParallel was removed in 2.0: use DDPStrategy"),
    ImportMove(f"{_P}.plugins.DDPShardedPlugin", None, "FairScale sharding was removed in 2.0: use FSDPStrategy"),
    ImportMove(f"{_P}.plugins.DDPSpawnShardedPlugin", None, "FairScale sharding was removed in 2.0: use "
               "FSDPStrategy"),
    ImportMove(f"{_P}.plugins.HorovodPlugin", None, "Horovod left Lightning core in 2.0"),
    ImportMove(f"{_P}.plugins.IPUPlugin", None, "IPU support left Lightning core (lightning-graphcore)"),
    ImportMove(f"{_P}.plugins.DDP2Plugin", None, "ddp2 was removed: use DDPStrategy"),
    ImportMove(f"{_P}.strategies.DDPSpawnStrategy", f"{_L}.strategies.DDPStrategy",
               review="DDPSpawnStrategy(...) is DDPStrategy(start_method='spawn', ...)"),
    ImportMove(f"{_P}.strategies.DDPFullyShardedNativeStrategy", f"{_L}.strategies.FSDPStrategy"),
    ImportMove(f"{_P}.strategies.TPUSpawnStrategy", f"{_L}.strategies.XLAStrategy"),
    ImportMove(f"{_P}.strategies.SingleTPUStrategy", f"{_L}.strategies.SingleDeviceXLAStrategy"),
    ImportMove(f"{_P}.plugins.NativeMixedPrecisionPlugin", f"{_L}.plugins.MixedPrecision",
               review="the constructor takes ('16-mixed', 'cuda') instead of (16, 'cuda')"),
    ImportMove(f"{_P}.plugins.PrecisionPlugin", f"{_L}.plugins.Precision"),
    ImportMove(f"{_P}.plugins.DoublePrecisionPlugin", f"{_L}.plugins.DoublePrecision"),
    ImportMove(f"{_P}.plugins.DeepSpeedPrecisionPlugin", f"{_L}.plugins.DeepSpeedPrecision"),
    ImportMove(f"{_P}.plugins.TPUPrecisionPlugin", f"{_L}.plugins.XLAPrecision"),
    ImportMove(f"{_P}.plugins.MixedPrecisionPlugin", f"{_L}.plugins.MixedPrecision"),
    ImportMove(f"{_P}.plugins.NativeSyncBatchNorm", f"{_L}.plugins.TorchSyncBatchNorm"),
    ImportMove(f"{_P}.plugins.ApexMixedPrecisionPlugin", None, "apex AMP was removed in 2.0: use "
               "precision='16-mixed'"),
    ImportMove(f"{_P}.accelerators.GPUAccelerator", f"{_L}.accelerators.CUDAAccelerator"),
    ImportMove(f"{_P}.accelerators.TPUAccelerator", f"{_L}.accelerators.XLAAccelerator"),
    ImportMove(f"{_P}.accelerators.IPUAccelerator", None, "IPU support left Lightning core (lightning-graphcore)"),
    ImportMove(f"{_P}.accelerators.HPUAccelerator", None, "HPU support left Lightning core (lightning-habana)"),
    ImportMove(f"{_P}.utilities.distributed.rank_zero_only", f"{_L}.utilities.rank_zero.rank_zero_only"),
    ImportMove(f"{_P}.utilities.distributed.rank_zero_info", f"{_L}.utilities.rank_zero.rank_zero_info"),
    ImportMove(f"{_P}.utilities.distributed.rank_zero_debug", f"{_L}.utilities.rank_zero.rank_zero_debug"),
    ImportMove(f"{_P}.utilities.distributed.rank_zero_warn", f"{_L}.utilities.rank_zero.rank_zero_warn"),
    ImportMove(f"{_P}.utilities.distributed.sync_ddp_if_available", None,
               "private in 2.x: use torch.distributed directly"),
    ImportMove(f"{_P}.utilities.distributed.gather_all_tensors", None,
               "private in 2.x: use self.all_gather or torch.distributed directly"),
    ImportMove(f"{_P}.utilities.distributed.distributed_available", None,
               "private in 2.x: use torch.distributed.is_available() and torch.distributed.is_initialized()"),
    ImportMove(f"{_P}.utilities.seed.seed_everything", f"{_L}.seed_everything"),
    ImportMove(f"{_P}.utilities.seed.reset_seed", "lightning.fabric.utilities.seed.reset_seed"),
    ImportMove(f"{_P}.utilities.seed.pl_worker_init_function", "lightning.fabric.utilities.seed.pl_worker_init_function"),
    ImportMove(f"{_P}.utilities.seed.isolate_rng", f"{_L}.utilities.seed.isolate_rng"),
    ImportMove(f"{_P}.utilities.apply_func.move_data_to_device", f"{_L}.utilities.move_data_to_device"),
    ImportMove(f"{_P}.utilities.apply_func.apply_to_collection",
               "lightning_utilities.core.apply_func.apply_to_collection"),
    ImportMove(f"{_P}.utilities.cloud_io.get_filesystem", "lightning.fabric.utilities.cloud_io.get_filesystem"),
    ImportMove(f"{_P}.utilities.cloud_io.load", None, "private in 2.x: use torch.load / fsspec"),
    ImportMove(f"{_P}.utilities.cloud_io.atomic_save", None, "private in 2.x: use torch.save to a temp file + "
               "os.replace"),
    ImportMove(f"{_P}.utilities.xla_device.XLADeviceUtils", None, "use XLAAccelerator.is_available() (from "
               "lightning.pytorch.accelerators import XLAAccelerator)"),
    ImportMove(f"{_P}.utilities.memory.get_model_size_mb", None, "use ModelSummary(model).model_size (from "
               "lightning.pytorch.utilities.model_summary import ModelSummary)"),
    ImportMove(f"{_P}.utilities.AMPType", None, "AMPType was removed in 2.0"),
    ImportMove(f"{_P}.utilities.enums.AMPType", None, "AMPType was removed in 2.0"),
    ImportMove(f"{_P}.utilities.enums.DistributedType", None, "DistributedType was removed in 2.0"),
    ImportMove(f"{_P}.utilities.enums.DeviceType", None, "DeviceType was removed in 2.0"),
    ImportMove(f"{_P}.utilities.types.EPOCH_OUTPUT", None, "EPOCH_OUTPUT was removed with the *_epoch_end hooks"),
    ImportMove(f"{_P}.utilities.cli.CALLBACK_REGISTRY", None, "the registries are gone: jsonargparse resolves "
               "any importable class"),
    ImportMove(f"{_P}.utilities.cli.MODEL_REGISTRY", None, "the registries are gone"),
    ImportMove(f"{_P}.utilities.cli.DATAMODULE_REGISTRY", None, "the registries are gone"),
    ImportMove(f"{_P}.tuner.auto_gpu_select.pick_multiple_gpus", f"{_L}.accelerators.find_usable_cuda_devices",
               review="find_usable_cuda_devices(num_devices) returns indices for devices="),
    ImportMove(f"{_P}.tuner.auto_gpu_select.pick_single_gpu", f"{_L}.accelerators.find_usable_cuda_devices",
               review="find_usable_cuda_devices(1) returns a one-element list"),
    ImportMove(f"{_P}.core.memory.get_memory_profile", None,
               "use lightning.pytorch.accelerators.cuda.get_nvidia_gpu_stats(device)"),
    ImportMove(f"{_P}.core.memory.get_gpu_memory_map", None,
               "use lightning.pytorch.accelerators.cuda.get_nvidia_gpu_stats(device)"),
    ImportMove(f"{_P}.core.saving.ModelIO", None, "ModelIO was removed: the methods live on LightningModule"),
    ImportMove(f"{_P}.core.grads.GradInformation", None, "use lightning.pytorch.utilities.grad_norm"),
    ImportMove(f"{_P}.distributed.LightningDistributed", None, "use trainer.strategy.broadcast"),
]}


def _swap_root(dotted: str) -> str:
    if dotted == _P:
        return _L
    return _L + dotted[len(_P):] if dotted.startswith(_P + ".") else dotted


def resolve_import(old: str) -> ImportMove:
    """The 2.x home of a dotted 1.x path (`pytorch_lightning.x.y` or `pytorch_lightning.x.Name`), per D.1.

    An exact name move wins, then the longest moved module prefix, then the plain namespace swap.
    """
    if old in NAME_MOVES:
        return NAME_MOVES[old]
    parts = old.split(".")
    for cut in range(len(parts), 1, -1):
        prefix = ".".join(parts[:cut])
        move = MODULE_MOVES.get(prefix)
        if move is not None:
            if move.new is None:
                return ImportMove(old, None, move.advice)
            rest = parts[cut:]
            return ImportMove(old, ".".join([move.new, *rest]), review=move.review)
    return ImportMove(old, _swap_root(old))


def is_legacy_path(dotted: str) -> bool:
    return dotted == _P or dotted.startswith(_P + ".")


# Python logger names (D.3).
LOGGER_NAME_MOVES: dict[str, str] = {"pytorch_lightning": "lightning.pytorch"}


# ----------------------------------------------------------------------------------------------------------------
# E  callback, logger, CLI and profiler constructors
# ----------------------------------------------------------------------------------------------------------------

def split_checkpoint_filepath(value: str) -> dict[str, Any]:
    """`ModelCheckpoint(filepath=p)` (E.1) -> `dirpath`/`filename` with the 1.1 rule, `.ckpt` stripped."""
    if value.endswith(("/", "\\")):
        return {"dirpath": value.rstrip("/\\")}
    head, tail = value.replace("\\", "/").rsplit("/", 1) if "/" in value.replace("\\", "/") else ("", value)
    if tail.endswith(".ckpt"):
        tail = tail[: -len(".ckpt")]
    out: dict[str, Any] = {}
    if head:
        out["dirpath"] = head
    if tail:
        out["filename"] = tail
    if "{" not in tail and "." not in tail:
        raise NeedsReview(
            f"ModelCheckpoint(filepath={value!r}): 1.x treated an existing directory as dirpath and anything "
            f"else as dirpath/filename; say which with dirpath= / filename="
        )
    return out


def map_checkpoint_mode_auto(monitor: Any) -> str:
    """`ModelCheckpoint(mode="auto")` (E.1): the 1.0 rule."""
    if not isinstance(monitor, str):
        raise NeedsReview("mode='auto' needs the monitor name to decide between 'min' and 'max'")
    return "max" if "acc" in monitor or monitor.startswith("fmeasure") else "min"


def map_early_stopping_mode_auto(monitor: Any) -> str:
    """`EarlyStopping(mode="auto")` (E.2): the 1.x EarlyStopping rule (different from ModelCheckpoint's)."""
    if not isinstance(monitor, str):
        raise NeedsReview("mode='auto' needs the monitor name to decide between 'min' and 'max'")
    return "max" if monitor == "acc" else "min"


@dataclass(frozen=True)
class CtorArgFact:
    """A legacy constructor keyword (E). `rename_to`: the value carries over. `mapper(value, call_kwargs)`
    returns the new keywords for a plain value (raising `NeedsReview` / `NoEquivalent`)."""

    cls: str
    name: str
    advice: str
    rename_to: str | None = None
    mapper: Callable[[Any, Mapping[str, Any]], dict[str, Any]] | None = None
    removed: str | None = None


def _filepath_mapper(value: Any, call: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(value, str):
        raise NeedsReview("ModelCheckpoint(filepath=<expression>): split it into dirpath= and filename=")
    return split_checkpoint_filepath(value)


def _prefix_mapper(value: Any, call: Mapping[str, Any]) -> dict[str, Any]:
    filename = call.get("filename", "{epoch}-{step}")
    if not isinstance(value, str) or not isinstance(filename, str):
        raise NeedsReview("ModelCheckpoint(prefix=...): prepend it to filename= ('prefix-' + filename)")
    return {"filename": f"{value}-{filename}" if value else filename}


def _mode_mapper(rule: Callable[[Any], str]) -> Callable[[Any, Mapping[str, Any]], dict[str, Any]]:
    def mapper(value: Any, call: Mapping[str, Any]) -> dict[str, Any]:
        if value != "auto":
            return {"mode": value}
        return {"mode": rule(call.get("monitor"))}

    return mapper


def _save_top_k_mapper(value: Any, call: Mapping[str, Any]) -> dict[str, Any]:
    return {"save_top_k": 1 if value is None else value}


def _offline_mapper(value: Any, call: Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"online": not value}
    raise NeedsReview("CometLogger(offline=x) is online=not x in 2.x (2.x would take offline as online unchanged)")


def _drop_arg(value: Any, call: Mapping[str, Any]) -> dict[str, Any]:
    return {}


def _seed_default_mapper(value: Any, call: Mapping[str, Any]) -> dict[str, Any]:
    return {"seed_everything_default": False if value is None else value}


def _output_filename_mapper(value: Any, call: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(value, str):
        raise NeedsReview("output_filename=<expression>: use dirpath= and filename= (the stem)")
    head, _, tail = value.replace("\\", "/").rpartition("/")
    stem = tail.rsplit(".", 1)[0] if "." in tail else tail
    return {**({"dirpath": head} if head else {}), "filename": stem}


CTOR_ARGS: dict[tuple[str, str], CtorArgFact] = {(f.cls, f.name): f for f in [
    CtorArgFact("ModelCheckpoint", "filepath", "use dirpath= and filename=", mapper=_filepath_mapper, removed="1.2"),
    CtorArgFact("ModelCheckpoint", "prefix", "prepend it to filename=", mapper=_prefix_mapper, removed="1.3"),
    CtorArgFact("ModelCheckpoint", "period", "use every_n_epochs=", rename_to="every_n_epochs", removed="1.5"),
    CtorArgFact("ModelCheckpoint", "every_n_val_epochs", "use every_n_epochs=", rename_to="every_n_epochs",
                removed="1.6"),
    CtorArgFact("ModelCheckpoint", "mode", "mode='auto' was removed: use 'min' or 'max'",
                mapper=_mode_mapper(map_checkpoint_mode_auto), removed="1.3"),
    CtorArgFact("ModelCheckpoint", "save_top_k", "save_top_k=None is save_top_k=1", mapper=_save_top_k_mapper,
                removed="1.4"),
    CtorArgFact("EarlyStopping", "mode", "mode='auto' was removed: use 'min' or 'max'",
                mapper=_mode_mapper(map_early_stopping_mode_auto), removed="1.3"),
    CtorArgFact("RichProgressBar", "refresh_rate_per_second", "use refresh_rate=", rename_to="refresh_rate",
                removed="1.6"),
    CtorArgFact("WandbLogger", "sync_step", "drop it", mapper=_drop_arg, removed="1.5"),
    CtorArgFact("CometLogger", "offline", "use online=not offline", mapper=_offline_mapper, removed="2.5.1"),
    CtorArgFact("CometLogger", "project_name", "use project=", rename_to="project", removed="2.5.1"),
    CtorArgFact("CometLogger", "experiment_name", "use name=", rename_to="name", removed="2.5.1"),
    CtorArgFact("CometLogger", "save_dir", "use offline_directory=", rename_to="offline_directory",
                removed="2.5.1"),
    CtorArgFact("LightningCLI", "seed_everything_default", "None is False now", mapper=_seed_default_mapper,
                removed="1.9"),
    CtorArgFact("LightningCLI", "auto_registry", "drop it: jsonargparse resolves any importable class",
                mapper=_drop_arg, removed="1.9"),
    CtorArgFact("SimpleProfiler", "output_filename", "use dirpath= and filename=", mapper=_output_filename_mapper,
                removed="1.5"),
    CtorArgFact("AdvancedProfiler", "output_filename", "use dirpath= and filename=",
                mapper=_output_filename_mapper, removed="1.5"),
    CtorArgFact("PyTorchProfiler", "path_to_export_trace", "use dirpath=", rename_to="dirpath", removed="1.3"),
]}

# Constructors whose positional order changed (E.3): the 1.x order, for keywordizing positional calls.
CTOR_POSITIONAL_1X: dict[str, tuple[str, ...]] = {
    "StochasticWeightAveraging": ("swa_epoch_start", "swa_lrs", "annealing_epochs", "annealing_strategy",
                                  "avg_fn", "device"),
}
# Constructor keywords that need a value in 2.x which 1.x did not require (E.2).
CTOR_REQUIRED_2X: dict[str, tuple[str, str]] = {
    "EarlyStopping": ("monitor", "EarlyStopping(monitor=...) is required since 1.6 (1.x defaulted to "
                                 "'early_stop_on'/'val_loss'): name the metric to monitor"),
    "StochasticWeightAveraging": ("swa_lrs", "StochasticWeightAveraging(swa_lrs=...) is required since 1.7 (the "
                                             "old default used the optimizer's learning rate)"),
}
