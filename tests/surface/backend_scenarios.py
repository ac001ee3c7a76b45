"""Scenarios of the 2.6.6 public surface added for issue 17, run side by side by ``test_backends.py``: once by the
real lightning 2.6.6 (reference interpreter) and once by this project, in subprocesses, each printing one JSON
object ``{scenario: result}``. Results are plain data: exception class names, dtypes, values, key names.

Run: ``python tests/surface/backend_scenarios.py`` (no import of the tests package: the reference interpreter
runs this file by path).
"""
import json
import logging
import os
import tempfile
import warnings

import torch


def _error(fn):
    try:
        fn()
        return "ok"
    except Exception as err:  # noqa: BLE001 - the class of the reaction is the result
        return type(err).__name__


def scenario_backends_without_their_package():
    """Classes whose package/hardware is missing: the kind of error construction raises."""
    import lightning.fabric.plugins.environments as envs
    import lightning.fabric.strategies as fabric_strategies
    import lightning.pytorch as pl
    from lightning.fabric.plugins import XLACheckpointIO
    from lightning.fabric.plugins.precision import XLAPrecision as FabricXLAPrecision
    from lightning.pytorch.accelerators import XLAAccelerator
    from lightning.pytorch.plugins import BitsandbytesPrecision, TransformerEnginePrecision, XLAPrecision
    from lightning.pytorch.strategies import DeepSpeedStrategy

    return {
        "DeepSpeedStrategy()": _error(DeepSpeedStrategy),
        "Trainer(strategy='deepspeed_stage_2')": _error(lambda: pl.Trainer(strategy="deepspeed_stage_2",
                                                                           logger=False)),
        "fabric DeepSpeedStrategy()": _error(fabric_strategies.DeepSpeedStrategy),
        "XLAAccelerator()": _error(XLAAccelerator),
        "XLAAccelerator.is_available()": XLAAccelerator.is_available(),
        "XLAPrecision()": _error(XLAPrecision),
        "fabric XLAPrecision('32-true')": _error(lambda: FabricXLAPrecision("32-true")),
        "XLACheckpointIO()": _error(XLACheckpointIO),
        "XLAEnvironment()": _error(envs.XLAEnvironment),
        "BitsandbytesPrecision('nf4')": _error(lambda: BitsandbytesPrecision("nf4")),
        "TransformerEnginePrecision(weights_dtype=float16)": _error(
            lambda: TransformerEnginePrecision(weights_dtype=torch.float16)),
        "MPIEnvironment()": _error(envs.MPIEnvironment),
        "MPIEnvironment.detect()": envs.MPIEnvironment.detect(),
    }


def scenario_deprecated_precision_plugin_names():
    """The 1.x/2.0 spellings 2.6.6 keeps: a deprecation warning, and an instance of the new class."""
    import lightning.pytorch.accelerators as accelerators
    import lightning.pytorch.plugins as plugins
    import lightning.pytorch.plugins.precision as precision

    cases = {"PrecisionPlugin": ((), "Precision"), "MixedPrecisionPlugin": (("bf16-mixed", "cpu"), "MixedPrecision"),
             "DoublePrecisionPlugin": ((), "DoublePrecision"), "HalfPrecisionPlugin": (("bf16-true",), "HalfPrecision"),
             "FSDPPrecisionPlugin": (("32-true",), "FSDPPrecision"),
             "FSDPMixedPrecisionPlugin": (("bf16-mixed", "cpu"), "FSDPPrecision")}
    out = {}
    for old, (args, new) in cases.items():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            obj = getattr(plugins, old)(*args)
        messages = [w for w in caught if "deprecated" in str(w.message)]
        out[old] = {"same_in_precision": getattr(precision, old) is getattr(plugins, old),
                    "is_new_class": isinstance(obj, getattr(precision, new)),
                    "warning": [w.category.__name__ for w in messages][:1],
                    "names_new_class": any(new in str(w.message) for w in messages)}
    out["HPUAccelerator()"] = _error(accelerators.HPUAccelerator)
    out["HPUPrecisionPlugin()"] = _error(plugins.HPUPrecisionPlugin)
    return out


def scenario_fsdp_precision_config():
    from lightning.pytorch.plugins.precision import FSDPPrecision

    out = {}
    for name in ("32-true", "16-true", "bf16-true", "16-mixed", "bf16-mixed"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            config = FSDPPrecision(name).mixed_precision_config
        out[name] = [str(config.param_dtype), str(config.reduce_dtype), str(config.buffer_dtype)]
    out["bad precision"] = _error(lambda: FSDPPrecision("64-true"))
    return out


def scenario_lsf_environment():
    from lightning.fabric.plugins.environments import LSFEnvironment

    saved = dict(os.environ)
    with tempfile.TemporaryDirectory() as tmp:
        rankfile = os.path.join(tmp, "rankfile")
        import socket

        with open(rankfile, "w") as f:
            f.write("\n".join(["launch-node", "node-a", "node-a", socket.gethostname(), socket.gethostname()]))
        os.environ.pop("MASTER_PORT", None)
        os.environ.update({"LSB_JOBID": "4321", "LSB_DJOB_RANKFILE": rankfile, "JSM_NAMESPACE_LOCAL_RANK": "1",
                           "JSM_NAMESPACE_SIZE": "4", "JSM_NAMESPACE_RANK": "3"})
        try:
            env = LSFEnvironment()
            return {"detect": LSFEnvironment.detect(), "main_address": env.main_address, "main_port": env.main_port,
                    "world_size": env.world_size(), "global_rank": env.global_rank(), "local_rank": env.local_rank(),
                    "node_rank": env.node_rank(), "creates_processes_externally": env.creates_processes_externally,
                    "MASTER_ADDR": os.environ["MASTER_ADDR"], "MASTER_PORT": os.environ["MASTER_PORT"]}
        finally:
            os.environ.clear()
            os.environ.update(saved)


def scenario_collectives():
    from lightning.fabric.plugins.collectives import SingleDeviceCollective, TorchCollective

    single = SingleDeviceCollective()
    t = torch.tensor([1.0, 2.0])
    out = {"single": {"rank": single.rank, "world_size": single.world_size,
                      "all_reduce": single.all_reduce(t).tolist(), "broadcast": single.broadcast(t, 0).tolist(),
                      "all_gather": [x.tolist() for x in single.all_gather([], t)]}}
    coll = TorchCollective().setup(main_address="127.0.0.1", main_port="29571", backend="gloo", rank=0,
                                   world_size=1)
    out["torch"] = {"rank": coll.rank, "world_size": coll.world_size,
                    "all_reduce max": coll.all_reduce(torch.tensor([3.0]), "max").tolist(),
                    "all_gather_object": coll.all_gather_object([None], {"a": 1}),
                    "bad op": _error(lambda: coll.all_reduce(torch.tensor([1.0]), "median")),
                    "env left alone": "MASTER_PORT" not in os.environ}
    coll.teardown()
    out["torch"]["initialized after teardown"] = torch.distributed.is_initialized()
    return out


def scenario_optimizer_config_types():
    from lightning.pytorch.utilities import types

    return {name: {"required": sorted(getattr(types, name).__required_keys__),
                   "optional": sorted(getattr(types, name).__optional_keys__)}
            for name in ("OptimizerConfig", "OptimizerLRSchedulerConfig", "LRSchedulerConfigType")} | {
        "LRSchedulerTypeTuple": [c.__name__ for c in types.LRSchedulerTypeTuple]}


def scenario_closure_classes():
    from lightning.pytorch.loops.optimization.automatic import Closure, ClosureResult
    from lightning.pytorch.loops.optimization.manual import ManualResult

    weight = torch.tensor([3.0], requires_grad=True)
    calls = []
    closure = Closure(lambda: ClosureResult.from_training_step_output({"loss": (weight * 2).sum(), "x": 1}),
                      backward_fn=lambda loss: (calls.append("backward"), loss.backward()),
                      zero_grad_fn=lambda: calls.append("zero_grad"))
    loss = closure()
    result = closure.consume_result()
    return {"loss": loss.item(), "grad": weight.grad.tolist(), "calls": calls, "extra": result.extra,
            "asdict keys": sorted(result.asdict()), "consume twice": _error(closure.consume_result),
            "normalized": ClosureResult.from_training_step_output(torch.tensor(4.0), 2).loss.item(),
            "manual": ManualResult.from_training_step_output({"loss": torch.tensor(1.5), "y": 2}).asdict()["y"]}


def scenario_deepspeed_summary():
    from torch import nn

    from lightning.pytorch.demos.boring_classes import BoringModel
    from lightning.pytorch.utilities.model_summary.model_summary_deepspeed import DeepSpeedSummary

    model = BoringModel()
    for name in ("weight", "bias"):  # what ZeRO-3 leaves: empty tensors that know their full and local sizes
        full = getattr(model.layer, name).numel()
        param = nn.Parameter(torch.empty(0))
        param.ds_numel, param.partition_numel = full, (lambda n=full: n // 2)
        setattr(model.layer, name, param)
    summary = DeepSpeedSummary(model, max_depth=1)
    return {"table": str(summary).splitlines(), "total": summary.total_parameters,
            "per_layer": summary.parameters_per_layer}


def scenario_save_checkpoint_weights_only_default():
    import lightning.pytorch as pl
    from lightning.pytorch.demos.boring_classes import BoringModel

    records = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())
    logger = logging.getLogger("lightning.pytorch")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            trainer = pl.Trainer(default_root_dir=tmp, max_steps=1, logger=False, enable_progress_bar=False,
                                 enable_model_summary=False, enable_checkpointing=False)
            trainer.fit(BoringModel())
            records.clear()
            path = os.path.join(tmp, "manual.ckpt")
            trainer.save_checkpoint(path)
            keys = sorted(torch.load(path, weights_only=True))
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return {"info": [r for r in records if "weights_only" in r], "has optimizer states": "optimizer_states" in keys}


def scenario_small_helpers():
    from torch.utils.data import DataLoader, IterableDataset

    from lightning.fabric.utilities.data import has_iterable_dataset, has_len, sized_len
    from lightning.pytorch import LightningDataModule
    from lightning.pytorch.core.saving import convert, update_hparams
    from lightning.pytorch.overrides.distributed import UnrepeatedDistributedSampler

    class Stream(IterableDataset):
        def __iter__(self):
            return iter(range(3))

    hparams = {"a": {"b": 1, "c": 2}, "d": 3}
    update_hparams(hparams, {"a": {"b": 5}, "e": 6})
    split = {rank: list(UnrepeatedDistributedSampler(list(range(10)), num_replicas=3, rank=rank, shuffle=False))
             for rank in range(3)}
    shuffled = list(UnrepeatedDistributedSampler(list(range(10)), num_replicas=3, rank=1, shuffle=True, seed=7))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {"convert": [convert("1"), convert("1.5"), convert("True"), convert("abc")], "update_hparams": hparams,
                "sampler split": split, "sampler shuffled": shuffled,
                "sized_len": [sized_len([1, 2]), sized_len(DataLoader(Stream()))],
                "has_len": has_len(DataLoader(list(range(4)))),
                "has_iterable_dataset": has_iterable_dataset(DataLoader(Stream())),
                "datamodule args": _error(lambda: LightningDataModule(1, key=2))}


def scenario_fabric_strategies_take_precision():
    """Fabric's strategies are built with ``precision=`` (the Trainer's with ``precision_plugin=``)."""
    from lightning.fabric.plugins import MixedPrecision
    from lightning.fabric.strategies import DDPStrategy, SingleDeviceStrategy

    plugin = MixedPrecision("bf16-mixed", "cpu")
    ddp = DDPStrategy(precision=plugin, start_method="spawn", find_unused_parameters=True)
    single = SingleDeviceStrategy(device="cpu", precision=plugin)
    return {"ddp keeps it": ddp.precision is plugin, "single keeps it": single.precision is plugin,
            "ddp start method": ddp._start_method}


SCENARIOS = {name[len("scenario_"):]: fn for name, fn in sorted(globals().items()) if name.startswith("scenario_")}

if __name__ == "__main__":
    logging.disable(logging.WARNING)
    torch.manual_seed(0)
    print(json.dumps({name: fn() for name, fn in SCENARIOS.items()}))
