"""``LightningModule.to_torchscript`` / ``to_onnx`` (``lightning.pytorch.core.exporting``)."""
import importlib.util

import pytest
import torch

import lightning as L
from lightning.pytorch.demos.boring_classes import BoringModel


def test_script_saves_loads_and_keeps_train_mode(tmp_path):
    model = BoringModel()
    model.train()
    scripted = model.to_torchscript(file_path=tmp_path / "model.pt")
    assert model.training
    x = torch.randn(3, 32)
    assert torch.allclose(scripted(x), model(x))
    assert torch.allclose(torch.jit.load(str(tmp_path / "model.pt"))(x), model(x))


def test_trace_uses_example_input_array():
    model = BoringModel()
    model.example_input_array = torch.randn(2, 32)
    traced = model.to_torchscript(method="trace")
    x = torch.randn(4, 32)
    assert torch.allclose(traced(x), model(x))


def test_trace_needs_an_example_and_method_is_checked():
    model = BoringModel()
    with pytest.raises(ValueError, match="example_input_array"):
        model.to_torchscript(method="trace")
    with pytest.raises(ValueError, match="'script' or 'trace'"):
        model.to_torchscript(method="compile")


def test_script_a_model_built_under_init_module(tmp_path):
    trainer = L.Trainer(logger=False, default_root_dir=tmp_path)
    with trainer.init_module():
        model = BoringModel()
    assert torch.allclose(model.to_torchscript()(torch.ones(1, 32)), model(torch.ones(1, 32)))


@pytest.mark.skipif(importlib.util.find_spec("onnx") is not None, reason="onnx is installed")
def test_onnx_without_the_package_says_what_to_install(tmp_path):
    with pytest.raises(ModuleNotFoundError, match="requires `onnx`"):
        BoringModel().to_onnx(tmp_path / "m.onnx", torch.randn(1, 32))


@pytest.mark.skipif(importlib.util.find_spec("onnx") is None, reason="needs onnx")
def test_onnx_export_writes_a_file(tmp_path):
    model = BoringModel()
    model.example_input_array = torch.randn(1, 32)
    model.to_onnx(tmp_path / "m.onnx")
    assert (tmp_path / "m.onnx").stat().st_size > 0
