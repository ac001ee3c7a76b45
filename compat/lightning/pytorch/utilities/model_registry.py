"""Checkpoints from a model registry: ``ckpt_path="registry"``, ``"registry:<name>"``, ``"registry:version:<v>"``
or ``"registry:<name>:version:<v>"`` (the name defaults to ``Trainer(model_registry=...)``). Downloads need the
``litmodels`` package; the files land in ``<default_root_dir>/<name>[_<version>]``."""
import importlib.util
import os
import re
from typing import Any, Optional

from lightning.fabric.utilities.types import _PATH


def _is_registry(text: Optional[_PATH]) -> bool:
    return isinstance(text, str) and re.match(r"^registry(:.*|$)", text.lower()) is not None


def _parse_registry_model_version(ckpt_path: Optional[_PATH]) -> tuple:
    """``(model name, version)``, either possibly empty."""
    if not ckpt_path or not _is_registry(ckpt_path):
        raise ValueError(f"Invalid registry path: {ckpt_path}")
    parts = str(ckpt_path).split(":")
    name = parts[1] if len(parts) >= 2 and parts[1].lower() != "version" else ""
    version = ""
    if len(parts) == 3 and parts[1].lower() == "version":
        version = parts[2]
    elif len(parts) == 4 and parts[2].lower() == "version":
        version = parts[3]
    return name, version


def _determine_model_name(ckpt_path: Optional[_PATH], default_model_registry: Optional[str]) -> str:
    name, version = _parse_registry_model_version(ckpt_path)
    name = name or default_model_registry or ""
    if not name:
        raise ValueError(f"Invalid model registry: '{ckpt_path}': name the model (`registry:<name>`) or pass "
                         "`Trainer(model_registry=...)`.")
    return f"{name}:{version}" if version else name


def _determine_model_folder(model_name: str, default_root_dir: str) -> str:
    if not model_name:
        raise ValueError(f"Invalid model registry: '{model_name}'")
    return os.path.join(default_root_dir, model_name.replace("/", "_").replace(":", "_"))


def find_model_local_ckpt_path(ckpt_path: Optional[_PATH], default_model_registry: Optional[str],
                               default_root_dir: str) -> str:
    """The downloaded checkpoint file of the registry model named by ``ckpt_path``."""
    name = _determine_model_name(ckpt_path, default_model_registry)
    folder = _determine_model_folder(name, default_root_dir)
    checkpoints = [f for f in os.listdir(folder) if f.endswith(".ckpt")]
    if not checkpoints:
        raise RuntimeError(f"Parsing files from downloaded model: {name} (no .ckpt file in {folder})")
    return os.path.join(folder, checkpoints[0])


def download_model_from_registry(ckpt_path: Optional[_PATH], trainer: Any) -> None:
    """Download the registry model into the Trainer's ``default_root_dir`` (local rank zero), then sync."""
    if trainer.local_rank == 0:
        if importlib.util.find_spec("litmodels") is None:
            raise ImportError("The `litmodels` package is not installed. Please install it with "
                              "`pip install litmodels`.")
        from litmodels import download_model

        name = _determine_model_name(ckpt_path, getattr(trainer, "_model_registry", None))
        if not download_model(name, download_dir=_determine_model_folder(name, trainer.default_root_dir)):
            raise RuntimeError(f"Download model failed - {name}")
    trainer.strategy.barrier("download_model_from_registry")
