"""``lightning.pytorch.utilities`` and the Fabric utilities of issue 9 (names, behaviour, errors)."""
import importlib
import json
import os

import pytest
import torch

import lightning.pytorch.utilities as utilities
from lightning.fabric.utilities import cloud_io, device_parser
from lightning.fabric.utilities.exceptions import MisconfigurationException as FabricMisconfiguration
from lightning.fabric.utilities.throughput import (Throughput, ThroughputMonitor, _MonotonicWindow,
                                                   _plugin_to_compute_dtype, get_available_flops)
from lightning.pytorch.demos.boring_classes import BoringModel
from lightning.pytorch.utilities.exceptions import MisconfigurationException
from tests.surface.inventory import REFERENCE


def test_utilities_exports_the_real_public_names():
    expected = json.loads(REFERENCE.read_text())["modules"]["lightning.pytorch.utilities"]
    names = {n for kind in ("class", "function", "value") for n in expected[kind]}
    assert names <= set(utilities.__all__)
    for name in names - {"is_shared_filesystem"}:  # owned by the distributed engineer's module
        assert getattr(utilities, name) is not None
    assert utilities.FLOAT32_EPSILON == torch.finfo(torch.float32).eps


def test_misconfiguration_exception_is_one_class():
    assert MisconfigurationException is FabricMisconfiguration


def test_unknown_utility_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        utilities.nope  # noqa: B018


def test_compile_round_trip():
    from lightning.pytorch.utilities.compile import from_compiled, to_uncompiled

    model = BoringModel()
    original_forward = model.forward
    compiled = torch.compile(model)
    unwrapped = from_compiled(compiled)
    assert unwrapped is model and model._compiler_ctx["compiler"] == "dynamo"
    assert model.forward is not original_forward
    assert to_uncompiled(model) is model and model._compiler_ctx is None
    assert model.forward == original_forward
    with pytest.raises(ValueError, match="OptimizedModule"):
        from_compiled(model)
    with pytest.raises(ValueError, match="non-compiled"):
        to_uncompiled(model)
    with pytest.raises(ValueError, match="compiled LightningModule"):
        from_compiled(torch.compile(torch.nn.Linear(2, 2)))


def test_env_var_defaults(monkeypatch):
    from lightning.pytorch.utilities.argparse import _defaults_from_env_vars, _parse_env_variables

    class Thing:
        @_defaults_from_env_vars
        def __init__(self, epochs=1, name="a", flag=False):
            self.args = (epochs, name, flag)

    monkeypatch.setenv("PL_THING_EPOCHS", "5")
    monkeypatch.setenv("PL_THING_NAME", "not a literal")
    assert vars(_parse_env_variables(Thing)) == {"epochs": 5, "name": "not a literal"}
    assert Thing().args == (5, "not a literal", False)
    assert Thing(7, flag=True).args == (7, "not a literal", True)  # explicit arguments win


def test_deepspeed_helpers_without_deepspeed(tmp_path):
    from lightning.pytorch.utilities.deepspeed import convert_zero_checkpoint_to_fp32_state_dict, ds_checkpoint_dir

    with pytest.raises(ValueError, match="latest"):
        ds_checkpoint_dir(tmp_path)
    (tmp_path / "latest").write_text("step9")
    with pytest.raises(FileNotFoundError, match="step9"):
        ds_checkpoint_dir(tmp_path)
    (tmp_path / "step9").mkdir()
    assert ds_checkpoint_dir(tmp_path) == str(tmp_path / "step9")
    if importlib.util.find_spec("deepspeed") is None:
        with pytest.raises(ModuleNotFoundError, match="deepspeed"):
            convert_zero_checkpoint_to_fp32_state_dict(tmp_path, tmp_path / "out.ckpt")


def test_garbage_collection_cuda_is_safe_on_cpu():
    from lightning.pytorch.utilities.memory import garbage_collection_cuda

    garbage_collection_cuda()


def test_torchvision_model_error_without_torchvision(monkeypatch):
    from lightning.pytorch.utilities.model_helpers import get_torchvision_model

    monkeypatch.setitem(__import__("sys").modules, "torchvision", None)
    with pytest.raises(ModuleNotFoundError, match="torchvision"):
        get_torchvision_model("resnet18")


# ---------------------------------------------------------------- fabric utilities
def test_atomic_save_and_load_local(tmp_path):
    path = tmp_path / "sub" / "x.ckpt"
    cloud_io._atomic_save({"a": torch.tensor([1, 2])}, path)
    assert sorted(os.listdir(path.parent)) == ["x.ckpt"]  # no temporary file left behind
    assert cloud_io._load(path)["a"].tolist() == [1, 2]
    with open(path, "rb") as f:
        assert cloud_io._load(f, weights_only=True)["a"].tolist() == [1, 2]


def test_atomic_save_keeps_the_previous_file_and_makes_an_ordinary_one(tmp_path):
    path = tmp_path / "x.ckpt"
    cloud_io._atomic_save({"a": torch.tensor([1])}, path)
    with pytest.raises(Exception):
        cloud_io._atomic_save({"bad": lambda: None}, path)  # a lambda cannot be pickled: serialization fails
    assert cloud_io._load(path)["a"].tolist() == [1] and os.listdir(tmp_path) == ["x.ckpt"]
    umask = os.umask(0)
    os.umask(umask)
    assert os.stat(path).st_mode & 0o777 == 0o666 & ~umask  # like any new file, not a private 0600 temp file


def test_remote_paths_go_through_fsspec(tmp_path):
    pytest.importorskip("fsspec")
    cloud_io._atomic_save({"b": 3}, "memory://bucket/y.ckpt")
    assert cloud_io._load("memory://bucket/y.ckpt", weights_only=False) == {"b": 3}
    fs = cloud_io.get_filesystem("memory://bucket")
    assert cloud_io._is_dir(fs, "memory://bucket") and not cloud_io._is_object_storage(fs)
    assert cloud_io._is_local_file_protocol(tmp_path) and not cloud_io._is_local_file_protocol("s3://b/k")


def test_parse_gpu_ids_on_a_cpu_machine(monkeypatch):
    assert device_parser._parse_gpu_ids(None) is None
    assert device_parser._parse_gpu_ids(0) is None
    assert device_parser._parse_gpu_ids("0") is None
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    assert device_parser._parse_gpu_ids(2, include_cuda=True) == [0, 1]
    assert device_parser._parse_gpu_ids("1,", include_cuda=True) == [1]
    assert device_parser._parse_gpu_ids(-1, include_cuda=True) == [0, 1]
    with pytest.raises(MisconfigurationException, match="only has"):
        device_parser._parse_gpu_ids([3], include_cuda=True)
    with pytest.raises(TypeError, match="float"):
        device_parser._parse_gpu_ids(1.5)
    with pytest.raises(MisconfigurationException, match="unique"):
        device_parser._check_unique([0, 0])
    assert device_parser._determine_root_gpu_device([2, 3]) == 2


def test_throughput_validation():
    with pytest.raises(ValueError, match="window_size"):
        Throughput(window_size=1)
    throughput = Throughput(window_size=2)
    with pytest.raises(ValueError, match="greater or equal than batches"):
        throughput.update(time=1.0, batches=2, samples=1)
    throughput = Throughput(window_size=2)
    throughput.update(time=1.0, batches=1, samples=2, lengths=4)
    with pytest.raises(ValueError, match="lengths"):
        throughput.update(time=2.0, batches=2, samples=4, lengths=3)
    window = _MonotonicWindow(maxlen=2)
    window.append(1)
    with pytest.raises(NotImplementedError):
        window[0] = 5


def test_throughput_monitor_logs_through_fabric():
    logged = []

    class FakeFabric:
        world_size = 1
        device = torch.device("cpu")

        class strategy:  # noqa: N801 - stands in for fabric.strategy
            precision = type("P", (), {"precision": "bf16-mixed"})()

        def log_dict(self, metrics, step):
            logged.append((step, dict(metrics)))

    monitor = ThroughputMonitor(FakeFabric(), window_size=2)
    monitor.update(time=1.0, batches=1, samples=2)
    monitor.update(time=2.0, batches=2, samples=4)
    metrics = monitor.compute_and_log()
    assert logged == [(0, metrics)] and metrics["device/samples_per_sec"] == 2.0
    monitor.compute_and_log(step=10)
    assert logged[-1][0] == 10


def test_available_flops_unknown_on_cpu():
    assert get_available_flops(torch.device("cpu"), torch.float32) is None
    assert _plugin_to_compute_dtype(type("P", (), {"precision": "16-mixed"})()) is torch.float16
    assert _plugin_to_compute_dtype(type("P", (), {"precision": "64-true"})()) is torch.float64


def test_suggested_max_num_workers(monkeypatch):
    monkeypatch.setattr("lightning.fabric.utilities.data._num_cpus_available", lambda: 8)
    assert [utilities.suggested_max_num_workers(n) for n in (1, 2, 8)] == [7, 3, 1]
    with pytest.raises(ValueError, match="local_world_size"):
        utilities.suggested_max_num_workers(0)


def test_errors_and_warnings_live_at_their_real_homes():
    from lightning.fabric.utilities.exceptions import MisconfigurationException as FabricError
    from lightning.fabric.utilities.rank_zero import LightningDeprecationWarning
    from lightning.fabric.utilities.warnings import PossibleUserWarning
    from lightning.pytorch.utilities import exceptions, rank_zero, warnings

    assert exceptions.MisconfigurationException is FabricError
    assert warnings.PossibleUserWarning is PossibleUserWarning and issubclass(PossibleUserWarning, UserWarning)
    assert warnings.LightningDeprecationWarning is LightningDeprecationWarning
    assert issubclass(LightningDeprecationWarning, DeprecationWarning)
    assert issubclass(exceptions.SIGTERMException, SystemExit)
    with pytest.warns(PossibleUserWarning, match="check"):
        rank_zero.rank_zero_warn("check", category=PossibleUserWarning)
