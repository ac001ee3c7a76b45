"""What ``import lightning`` and a plain 2.x run load: the legacy table, the distributed strategies, the cluster
environments and ``statistics`` wait until something asks for them (each check in a fresh interpreter, since the
test process has long imported everything). Times live in ``python -m bench --only startup``, not here."""
import json
import pickle
import subprocess
import sys
import textwrap
import warnings

import pytest

# Modules that the 2.x path must not load; each is imported the first time its feature is used.
DEFERRED = (
    "lit_migrate.legacy_facts",
    "lightning.pytorch._legacy.trainer_translation",
    "lightning.pytorch._legacy.argparse",
    "lightning.pytorch._legacy.multi_optimizer",
    "pytorch_lightning",  # lightning.* never imports the 1.x namespace (tests/architecture/test_legacy_boundary.py)
    "lightning.pytorch.strategies.ddp",
    "lightning.pytorch.strategies.fsdp",
    "lightning.pytorch.strategies.parallel",
    "lightning.fabric.utilities.distributed",
    "lightning.fabric.plugins.environments.slurm",
    "lightning.fabric.plugins.environments.kubeflow",
    "lightning.fabric.plugins.environments.torchelastic",
    "lightning.pytorch.plugins.precision.amp",
    "statistics",
)

# What a plain 2.x import and fit load of the 1.x package (docs/legacy.md, "The extension points"): the mixins and
# argument wrappers the 2.x classes are built with, and the hook scan a run makes once; never the translation itself.
LEGACY_PACKAGE = "lightning.pytorch._legacy"
LEGACY_LOADED_BY_2X = tuple(f"{LEGACY_PACKAGE}{name}" for name in (
    "", ".usage", ".trainer_args", ".trainer_api", ".module_api", ".hooks"))

# ... and what `import lightning` leaves for the first Trainer(), fit or checkpoint load to import.
DEFERRED_TO_FIRST_USE = (
    "lightning.pytorch.core.saving",
    "lightning.pytorch.trainer.checkpointing",
    "lightning.pytorch.trainer.devices",
    "lightning.pytorch.accelerators.cpu",
    "lightning.pytorch.loops.fit_loop",
    "lightning.pytorch.strategies.registry",
)

_PRELUDE = """
import json, sys, warnings
import torch
_before = set(sys.modules)
def report(**extra):
    print(json.dumps({"new": sorted(set(sys.modules) - _before), **extra}))
"""

_TINY_FIT = """
import torch
from torch.utils.data import DataLoader, TensorDataset

class Tiny(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.layer = torch.nn.Linear(4, 1)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.layer(x), y)
        self.log("loss", loss, prog_bar=True, on_step=True)
        return loss

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.1)

data = DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=2)
"""


def run_fresh(body: str) -> dict:
    """Run ``body`` after ``import torch`` in a new interpreter; it calls ``report()`` with what it saw."""
    code = _PRELUDE + textwrap.dedent(body)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def loaded(result: dict, names=DEFERRED) -> list:
    return [name for name in names if name in result["new"]]


def test_import_lightning_defers_optional_subsystems():
    result = run_fresh("""
        import lightning
        import lightning.pytorch
        report()
    """)
    assert loaded(result, DEFERRED + DEFERRED_TO_FIRST_USE) == []
    assert "lightning.pytorch.trainer.trainer" in result["new"]  # the Trainer itself is not deferred


def test_import_pytorch_lightning_defers_the_strategies():
    result = run_fresh("""
        import pytorch_lightning
        report()
    """)
    loads_itself = ("lit_migrate.legacy_facts", "pytorch_lightning")  # (its import machinery reads the table)
    assert loaded(result, [name for name in DEFERRED if name not in loads_itself]) == []


def test_plain_2x_trainer_and_fit_load_no_legacy_table_and_no_distributed_code():
    # (default callbacks included: ModelCheckpoint is built and saves at the end)
    result = run_fresh(textwrap.dedent("""
        import lightning as L
        trainer = L.Trainer(logger=False, enable_progress_bar=False, enable_model_summary=False, max_steps=2,
                            accelerator="cpu", devices=1, strategy="auto", precision="32-true")
        after_init = sorted(set(sys.modules) - _before)
    """) + _TINY_FIT + textwrap.dedent("""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            trainer.fit(Tiny(), data)
        report(after_init=after_init, steps=trainer.global_step,
               legacy_warnings=[str(w.message) for w in caught if "1.x" in str(w.message)])
    """))
    assert result["steps"] == 2
    assert result["legacy_warnings"] == []
    assert [name for name in DEFERRED if name in result["after_init"]] == []
    # (`statistics` is torch's own: the optimizer's first param group imports torch._dynamo)
    assert loaded(result, [name for name in DEFERRED if name != "statistics"]) == []
    # of the 1.x package, only what defines the 2.x classes' 1.x members and the once-per-run hook scan
    assert sorted(name for name in result["new"] if name.startswith(LEGACY_PACKAGE)) == sorted(LEGACY_LOADED_BY_2X)


def test_legacy_trainer_argument_still_loads_the_table_and_warns():
    result = run_fresh("""
        import pytorch_lightning as pl
        from lightning.pytorch._legacy.usage import LegacyUsageWarning
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            trainer = pl.Trainer(gpus=0, logger=False, enable_checkpointing=False)
        report(messages=[str(w.message) for w in caught if issubclass(w.category, LegacyUsageWarning)],
               accelerator=type(trainer.accelerator).__name__)
    """)
    assert "lit_migrate.legacy_facts" in result["new"]
    assert any("gpus=0" in message for message in result["messages"])
    assert result["accelerator"] == "CPUAccelerator"


def test_legacy_value_of_a_2x_argument_still_warns():
    result = run_fresh("""
        import lightning as L
        from lightning.pytorch._legacy.usage import LegacyUsageWarning
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            L.Trainer(max_steps=None, logger=False, enable_checkpointing=False)
        report(messages=[str(w.message) for w in caught if issubclass(w.category, LegacyUsageWarning)])
    """)
    assert "lit_migrate.legacy_facts" in result["new"]
    assert any("max_steps=None" in message for message in result["messages"])


def test_removed_trainer_attribute_loads_the_table_on_first_read():
    result = run_fresh("""
        import lightning as L
        from lightning.pytorch._legacy.usage import LegacyUsageWarning
        trainer = L.Trainer(logger=False, enable_checkpointing=False, accelerator="cpu")
        before_read = "lit_migrate.legacy_facts" in sys.modules
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            value = trainer.num_gpus
        report(before_read=before_read, value=value, installed=isinstance(vars(type(trainer).__mro__[1]).get(
            "num_gpus"), property), messages=[str(w.message) for w in caught])
    """)
    assert result["before_read"] is False
    assert result["value"] == 0
    assert any("trainer.num_gpus" in message for message in result["messages"])


def test_strategy_registry_lists_the_built_in_names_in_a_fresh_process():
    result = run_fresh("""
        from lightning.pytorch.strategies import StrategyRegistry
        names = StrategyRegistry.available_strategies()
        from lightning.fabric.strategies.registry import STRATEGY_REGISTRY
        report(names=names, fabric="fsdp" in STRATEGY_REGISTRY)
    """)
    assert {"ddp", "ddp_spawn", "fsdp", "fsdp_cpu_offload"} <= set(result["names"])
    assert result["fabric"] is True


def test_unknown_strategy_error_still_lists_the_built_in_names():
    result = run_fresh("""
        import lightning as L
        try:
            L.Trainer(strategy="nope", logger=False)
        except Exception as err:
            report(error=f"{type(err).__name__}: {err}")
    """)
    assert result["error"].startswith("ValueError: You selected an invalid strategy name: `strategy='nope'`")
    assert "'ddp_spawn'" in result["error"] and "'fsdp'" in result["error"]


# ------------------------------------------------------------------------------- lazy names keep the 2.x surface
@pytest.mark.parametrize("package,names", [
    ("lightning.pytorch.strategies", ["DDPStrategy", "FSDPStrategy", "ParallelStrategy", "SingleDeviceStrategy",
                                      "Strategy", "StrategyRegistry"]),
    ("lightning.pytorch.plugins", ["AsyncCheckpointIO", "CheckpointIO", "DoublePrecision", "HalfPrecision",
                                   "LayerSync", "MixedPrecision", "Precision", "TorchCheckpointIO",
                                   "TorchSyncBatchNorm", "ClusterEnvironment"]),
    ("lightning.pytorch.accelerators", ["Accelerator", "AcceleratorRegistry", "CPUAccelerator", "CUDAAccelerator",
                                        "MPSAccelerator", "find_usable_cuda_devices"]),
    ("lightning.pytorch.plugins.precision", ["DoublePrecision", "HalfPrecision", "MixedPrecision", "Precision"]),
    ("lightning.fabric.plugins", ["CheckpointIO", "DoublePrecision", "HalfPrecision", "MixedPrecision", "Precision",
                                  "TorchCheckpointIO", "ClusterEnvironment"]),
    ("lightning.fabric.plugins.environments", ["ClusterEnvironment", "KubeflowEnvironment", "LightningEnvironment",
                                               "SLURMEnvironment", "TorchElasticEnvironment"]),
])
def test_lazy_package_names_resolve_pickle_and_show_in_dir(package, names):
    import importlib

    module = importlib.import_module(package)
    for name in names:
        value = getattr(module, name)
        assert name in dir(module)
        if isinstance(value, type):
            assert pickle.loads(pickle.dumps(value)) is value
    exec(f"from {package} import *", {})  # __all__ resolves


def test_lazy_package_unknown_name_is_an_attribute_error():
    import lightning.pytorch.strategies as strategies

    with pytest.raises(AttributeError, match="has no attribute 'NoSuchStrategy'"):
        strategies.NoSuchStrategy  # noqa: B018


def test_same_classes_behind_both_paths():
    from lightning.fabric.plugins.environments import SLURMEnvironment as FabricSLURM
    from lightning.pytorch.plugins.environments import SLURMEnvironment
    from lightning.pytorch.strategies import DDPStrategy
    from lightning.pytorch.strategies.ddp import DDPStrategy as DirectDDP

    assert SLURMEnvironment is FabricSLURM and DDPStrategy is DirectDDP


def test_merge_dicts_keeps_its_2x_default():
    import statistics

    from lightning.pytorch.loggers.logger import merge_dicts

    import inspect

    assert inspect.signature(merge_dicts).parameters["default_func"].default is statistics.mean
    assert merge_dicts([{"a": 1, "b": {"c": 2}}, {"a": 2, "b": {"c": 4}}]) == {"a": 1.5, "b": {"c": 3}}


# ------------------------------------------------------------------------- the cheap 1.x tests agree with the table
_PROBES = [None, True, False, 0, 1, -1, 2, 16, 32, 64, "16", "32", "64", "bf16", "16-mixed", "bf16-mixed", "32-true",
           "64-true", "cpu", "gpu", "cuda", "mps", "tpu", "auto", "ddp", "ddp2", "dp", "ddp_spawn", "ddp_sharded",
           "ddp_find_unused_parameters_false", "horovod", "deepspeed", "fsdp", "simple", {}, {0: 1}, [0], "mixed"]


def _table_probes():
    from lit_migrate import legacy_facts as facts

    values = set()
    for table in (facts.STRATEGY_RENAMES, facts.STRATEGIES_REMOVED, facts.PRECISION_MAP):
        values |= {v for v in table if isinstance(v, (str, int))}
    values |= set(facts.LEGACY_ACCELERATOR_STRATEGIES) | set(facts.ACCELERATOR_NAMES) | set(facts.PRECISION_2X)
    return _PROBES + sorted(values, key=repr)


def test_value_prefilter_never_misses_what_the_table_calls_legacy():
    import inspect

    from lightning.pytorch import Trainer
    from lightning.pytorch._legacy.trainer_args import _VALUE_MAY_BE_LEGACY
    from lit_migrate import legacy_facts as facts

    params = [p for p in inspect.signature(Trainer.__init__).parameters if p != "self"]
    missed = []
    for name in params:
        for value in _table_probes():
            legacy = facts.trainer_arg_is_legacy(name, value) or (
                name in facts.DEVICE_GROUP and facts.device_group_is_legacy({name: value}))
            if legacy and not (name in _VALUE_MAY_BE_LEGACY and _VALUE_MAY_BE_LEGACY[name](value)):
                missed.append((name, value))
    assert missed == []


def test_value_prefilter_lets_the_usual_2x_values_through():
    from lightning.pytorch._legacy.trainer_args import _is_legacy_call

    usual = dict(accelerator="cpu", devices=1, strategy="ddp", precision="bf16-mixed", max_steps=10,
                 accumulate_grad_batches=2, profiler="simple", plugins=None)
    assert _is_legacy_call(usual, frozenset(usual)) is False


def test_log_methods_wrapped_are_the_tables():
    from lightning.pytorch._legacy.module_api import _LOG_METHODS
    from lit_migrate import legacy_facts as facts

    assert set(_LOG_METHODS) == set(facts.LOG_METHODS)


def test_trainer_attribute_errors_keep_their_messages(tmp_path):
    from lightning.pytorch import Trainer

    class Custom(Trainer):
        @property
        def broken(self):
            raise AttributeError("the property's own message")

    trainer = Custom(logger=False, enable_checkpointing=False, default_root_dir=str(tmp_path))
    with pytest.raises(AttributeError, match="the property's own message"):
        trainer.broken  # noqa: B018
    with pytest.raises(AttributeError, match="^'Custom' object has no attribute 'no_such_thing'$"):
        trainer.no_such_thing  # noqa: B018
    assert getattr(trainer, "no_such_thing", "default") == "default"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert trainer.progress_bar_dict == {}


def test_lightnings_own_callbacks_and_modules_define_no_1x_hook():
    """The hook scan skips Lightning's own classes (2.x by construction); this keeps that true."""
    import importlib
    import inspect

    import lightning.pytorch.callbacks as callbacks
    from lightning.pytorch import Callback, LightningModule
    from lightning.pytorch._legacy.hooks import _HANDLED
    from lit_migrate import legacy_facts as facts

    demos = importlib.import_module("lightning.pytorch.demos")
    classes = [getattr(callbacks, name) for name in callbacks.__all__] + [
        getattr(demos, name) for name in dir(demos) if inspect.isclass(getattr(demos, name, None))]
    offenders = []
    for cls in classes:
        if not isinstance(cls, type):
            continue
        base = Callback if issubclass(cls, Callback) else LightningModule if issubclass(cls, LightningModule) else None
        if base is None:
            continue
        kind = "callback" if base is Callback else "module"
        for (owner, name) in facts.HOOKS:
            if owner == kind and name not in _HANDLED and not hasattr(base, name) and hasattr(cls, name):
                offenders.append(f"{cls.__name__}.{name}")
    assert offenders == []


def test_a_model_with_a_removed_hook_still_loads_the_table_during_fit():
    result = run_fresh(textwrap.dedent("""
        import lightning as L
        from lightning.pytorch._legacy.usage import LegacyUsageWarning
    """) + _TINY_FIT + textwrap.dedent("""
        class Old(Tiny):
            def get_progress_bar_dict(self):
                return {}

        trainer = L.Trainer(logger=False, enable_checkpointing=False, enable_progress_bar=False,
                            enable_model_summary=False, max_steps=1)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            trainer.fit(Old(), data)
        report(messages=[str(w.message) for w in caught if issubclass(w.category, LegacyUsageWarning)])
    """))
    assert "lit_migrate.legacy_facts" in result["new"]
    assert any("Old.get_progress_bar_dict" in message for message in result["messages"])


def test_load_from_checkpoint_is_decorated_on_first_read(tmp_path):
    result = run_fresh(f"""
        import inspect
        import lightning as L
        from lightning.pytorch.demos.boring_classes import BoringModel
        before = "lightning.pytorch.core.saving" in sys.modules
        signature = str(inspect.signature(BoringModel.load_from_checkpoint))
        model = BoringModel()
        path = {str(tmp_path / "m.ckpt")!r}
        trainer = L.Trainer(logger=False, enable_progress_bar=False, enable_model_summary=False, max_steps=1,
                            limit_val_batches=0, default_root_dir={str(tmp_path)!r})
        trainer.fit(model)
        trainer.save_checkpoint(path)
        loaded = BoringModel.load_from_checkpoint(path)
        same = all(bool((a == b).all()) for a, b in zip(model.state_dict().values(), loaded.state_dict().values()))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model.load_from_checkpoint(path)  # on an instance: still a new object, with a warning
        report(before=before, signature=signature, same=same, cls=type(loaded).__name__,
               warned=any("called on an instance" in str(w.message) for w in caught))
    """)
    assert result["before"] is False
    assert result["signature"].startswith("(checkpoint_path: Any, map_location: Any = None")
    assert result["same"] and result["cls"] == "BoringModel" and result["warned"]
