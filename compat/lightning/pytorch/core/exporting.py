"""Exporting a LightningModule: TorchScript (script or trace) and ONNX (needs the ``onnx`` package).

Example inputs go through the module's batch-transfer hooks first, so they reach the model on its device in the
form ``forward`` expects; the module's train/eval mode is restored afterwards.
"""
import contextlib
import importlib.util
from pathlib import Path
from typing import Any, Generator, Optional, Union

import torch

from lightning.pytorch.utilities.model_helpers import imported_class


@contextlib.contextmanager
def _jit_is_scripting(module: Any = None) -> Generator:
    """While scripting, properties that need a Trainer must not raise: TorchScript reads every attribute, of the
    module and of its LightningModule children, so the flag is set on the class. Every property the Lightning
    classes define (the legacy layer adds some) is also marked unused for the duration, so TorchScript does not try
    to compile them."""
    # looked up, not imported: core.module imports this file (a LightningModule exists, so its module is imported)
    LightningModule = imported_class("lightning.pytorch.core.module", "LightningModule")
    patched = []
    if module is not None:
        for cls in {type(m) for m in module.modules() if isinstance(m, LightningModule)}:
            previous = cls.__dict__.get("__jit_unused_properties__", _MISSING)
            cls.__jit_unused_properties__ = sorted(set(getattr(cls, "__jit_unused_properties__", []))
                                                   | _lightning_properties(cls))
            patched.append((cls, previous))
    LightningModule._jit_is_scripting = True
    try:
        yield
    finally:
        LightningModule._jit_is_scripting = False
        for cls, previous in patched:
            if previous is _MISSING:
                del cls.__jit_unused_properties__
            else:
                cls.__jit_unused_properties__ = previous


_MISSING = object()


def _lightning_properties(cls: type) -> set:
    return {name for klass in cls.__mro__ if klass.__module__.split(".")[0] in ("lightning", "pytorch_lightning")
            for name, value in vars(klass).items() if isinstance(value, property)}


def _example_input(module: Any, given: Any, what: str) -> Any:
    sample = module.example_input_array if given is None else given
    if sample is None:
        raise ValueError(f"{what} needs an example input: pass it, or set `model.example_input_array` first.")
    return module._apply_batch_transfer_handler(sample)


@torch.no_grad()
def to_torchscript(module: Any, file_path: Optional[Union[str, Path]] = None, method: Optional[str] = "script",
                   example_inputs: Optional[Any] = None, **kwargs: Any) -> Any:
    """``torch.jit.script`` (``method="script"``) or ``torch.jit.trace`` (``"trace"``) of the module in eval mode;
    saved with ``torch.jit.save`` when ``file_path`` is given."""
    mode = module.training
    if method == "script":
        with _jit_is_scripting(module):
            scripted = torch.jit.script(module.eval(), **kwargs)
    elif method == "trace":
        inputs = _example_input(module, example_inputs, "`to_torchscript(method='trace')`")
        if kwargs.get("check_inputs") is not None:
            kwargs["check_inputs"] = module._apply_batch_transfer_handler(kwargs["check_inputs"])
        with _jit_is_scripting(module):
            scripted = torch.jit.trace(func=module.eval(), example_inputs=inputs, **kwargs)
    else:
        raise ValueError(f"The 'method' parameter only supports 'script' or 'trace', but value given was: {method}")
    module.train(mode)
    if file_path is not None:
        _save_torchscript(scripted, file_path)
    return scripted


def _save_torchscript(scripted: Any, file_path: Union[str, Path]) -> None:
    from lightning.fabric.utilities.cloud_io import _is_local_file_protocol, get_filesystem

    if _is_local_file_protocol(file_path):
        torch.jit.save(scripted, str(file_path))
        return
    with get_filesystem(file_path).open(str(file_path), "wb") as f:
        torch.jit.save(scripted, f)


@torch.no_grad()
def to_onnx(module: Any, file_path: Union[str, Path, Any, None] = None, input_sample: Optional[Any] = None,
            **kwargs: Any) -> Any:
    """``torch.onnx.export`` of the module (``input_sample`` defaults to ``example_input_array``); returns what
    ``torch.onnx.export`` returns (an ``ONNXProgram`` with ``dynamo=True``)."""
    if importlib.util.find_spec("onnx") is None:
        raise ModuleNotFoundError(f"`{type(module).__name__}.to_onnx()` requires `onnx` to be installed "
                                  "(pip install onnx).")
    if kwargs.get("dynamo", False) and importlib.util.find_spec("onnxscript") is None:
        raise ModuleNotFoundError(f"`{type(module).__name__}.to_onnx(dynamo=True)` requires `onnxscript` to be "
                                  "installed (pip install onnxscript).")
    mode = module.training
    sample = _example_input(module, input_sample, "`to_onnx()`")
    if not isinstance(sample, tuple):
        sample = (sample,)
    result = torch.onnx.export(module, sample, str(file_path) if isinstance(file_path, Path) else file_path, **kwargs)
    module.train(mode)
    return result
