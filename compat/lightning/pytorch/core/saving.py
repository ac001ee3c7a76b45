"""Rebuilding modules from checkpoints (``load_from_checkpoint``) and hyperparameter files (YAML / CSV tags)."""
import ast
import collections
import contextlib
import copy
import csv
import functools
import importlib
import inspect
import logging
import os
import sys
import warnings
from argparse import Namespace
from pathlib import Path, PurePath
from contextvars import ContextVar
from typing import Any, Callable, Optional

import torch

from lightning.fabric.utilities.data import AttributeDict
from lightning.fabric.utilities.rank_zero import rank_zero_warn

log = logging.getLogger("lightning.pytorch")

CHECKPOINT_HYPER_PARAMS_KEY = "hyper_parameters"
CHECKPOINT_HYPER_PARAMS_NAME = "hparams_name"
CHECKPOINT_HYPER_PARAMS_TYPE = "hparams_type"
CHECKPOINT_PAST_HPARAMS_KEYS = ("hparams", "module_arguments")  # used by 1.x releases before 1.3


class _restricted_classmethod:
    """A classmethod that, called on an instance, still builds a new object from the class (with a warning).

    Lightning 2.x raises ``TypeError`` there; 1.x code (and the primer) calls ``model.load_from_checkpoint(...)`` on
    an instance and uses the return value, so we keep it working unless ``LIGHTNING_COMPAT_STRICT=1``.
    """

    def __init__(self, method: Callable) -> None:
        self.method = method
        functools.update_wrapper(self, method)

    def __get__(self, instance: Any, cls: type) -> Callable:
        bound = self.method.__get__(cls, cls)
        if instance is None:
            return bound
        @functools.wraps(bound)
        def from_instance(*args: Any, **kwargs: Any) -> Any:
            from lightning.pytorch.utilities.legacy import legacy_usage

            legacy_usage(
                f"`{cls.__name__}.{self.method.__name__}` was called on an instance. It returns a NEW object and does"
                f" not change the instance: write `model = {cls.__name__}.{self.method.__name__}(...)` on the class.",
                error=TypeError,
            )
            # init arguments the checkpoint cannot supply (e.g. an `nn.Module` passed to `__init__` and not saved
            # as a hyperparameter) are taken from the instance: the result is a copy of it with the loaded weights
            token = _template_instance.set(instance)
            try:
                return bound(*args, **kwargs)
            finally:
                _template_instance.reset(token)

        return from_instance


_template_instance: ContextVar = ContextVar("_template_instance", default=None)


@contextlib.contextmanager
def _given_hparams(hparams: dict):
    from lightning.pytorch.core.mixins.hparams_mixin import _given_hyperparameters

    token = _given_hyperparameters.set(hparams)
    try:
        yield
    finally:
        _given_hyperparameters.reset(token)


def load_from_checkpoint(
    cls: type,
    checkpoint_path: Any,
    map_location: Any = None,
    hparams_file: Optional[Any] = None,
    strict: Optional[bool] = None,
    weights_only: Optional[bool] = None,
    **kwargs: Any,
) -> Any:
    """Load ``checkpoint_path`` and build a ``cls`` (LightningModule or LightningDataModule) from it.

    The constructor receives the saved hyperparameters (or those of ``hparams_file``), updated with ``kwargs``;
    a module then gets the saved weights and is moved to their device (``map_location`` decides that device).
    """
    from lightning.pytorch.utilities.checkpoint_io import load_checkpoint_file
    from lightning.pytorch.utilities.migration.utils import _pl_migrate_checkpoint

    checkpoint = load_checkpoint_file(checkpoint_path, map_location=map_location, weights_only=weights_only)
    checkpoint = _pl_migrate_checkpoint(
        checkpoint, checkpoint_path if isinstance(checkpoint_path, (str, os.PathLike)) else None
    )
    is_module = not _is_datamodule(cls)
    if is_module and "state_dict" not in checkpoint:
        raise KeyError(
            f"{checkpoint_path} has no 'state_dict' entry, so it is not a Lightning checkpoint of a model (it has "
            f"{sorted(map(str, checkpoint))[:8]}). Save checkpoints with `trainer.save_checkpoint(path)` or "
            "`ModelCheckpoint`; a bare `model.state_dict()` file loads with `model.load_state_dict(torch.load(path))`."
        )
    if hparams_file is not None:
        ext = str(hparams_file).rsplit(".", 1)[-1].lower()
        if ext == "csv":
            hparams = load_hparams_from_tags_csv(hparams_file)
        elif ext in ("yml", "yaml"):
            hparams = load_hparams_from_yaml(hparams_file)
        else:
            raise ValueError(f"`hparams_file` must be a .csv, .yml or .yaml file, got {hparams_file!r}")
        checkpoint[CHECKPOINT_HYPER_PARAMS_KEY if is_module else "datamodule_hyper_parameters"] = hparams
    obj = _instantiate(cls, checkpoint, kwargs, checkpoint_path)
    if not is_module:
        state = checkpoint.get(type(obj).__qualname__)
        if state is not None:
            obj.load_state_dict(state)
        return obj
    return _load_module_state(obj, checkpoint, strict, checkpoint_path)


def _instantiate(cls: type, checkpoint: dict, overrides: dict, checkpoint_path: Any) -> Any:
    init_params = inspect.signature(cls.__init__).parameters
    init_names = [
        n for n, p in init_params.items()
        if n != "self" and p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    ]
    accepts_kwargs = any(p.kind == inspect.Parameter.VAR_KEYWORD for p in init_params.values())
    is_module = not _is_datamodule(cls)
    key = CHECKPOINT_HYPER_PARAMS_KEY if is_module else "datamodule_hyper_parameters"
    name_key = CHECKPOINT_HYPER_PARAMS_NAME if is_module else "datamodule_hparams_name"
    cls_kwargs: Any = {}
    if key in checkpoint or (is_module and any(k in checkpoint for k in CHECKPOINT_PAST_HPARAMS_KEYS)):
        if is_module:
            for old_key in CHECKPOINT_PAST_HPARAMS_KEYS:  # written by releases before 1.3
                cls_kwargs.update(_as_dict(checkpoint.get(old_key, {})))
        saved = _restore_converted_hparams(checkpoint.get(key, {}), checkpoint.get(key + _TYPES_SUFFIX))
        cls_kwargs.update(_as_dict(saved))
        if isinstance(saved, Namespace) or checkpoint.get(CHECKPOINT_HYPER_PARAMS_TYPE) in (
            "Namespace", "<class 'argparse.Namespace'>"
        ):
            cls_kwargs = Namespace(**cls_kwargs)
        args_name = checkpoint.get(name_key)
        if args_name and args_name in init_names:
            cls_kwargs = {args_name: cls_kwargs}  # the module took one `hparams`-like argument
    cls_kwargs = dict(cls_kwargs) if isinstance(cls_kwargs, dict) else {"hparams": cls_kwargs}
    cls_kwargs.update(overrides)
    # hyperparameters saved by LightningCLI name the function that rebuilds nested classes from them
    instantiator = _checkpoint_instantiator(cls_kwargs.pop("_instantiator", None), cls_kwargs.get("_class_path"), cls)
    available = sorted(cls_kwargs)
    if not accepts_kwargs:
        cls_kwargs = {k: v for k, v in cls_kwargs.items() if k in init_names}
    template = _template_instance.get()
    if template is not None and type(template) is cls and _missing_init_args(init_params, cls_kwargs):
        return copy.deepcopy(template)
    if instantiator is not None:
        return instantiator(cls, cls_kwargs)
    try:
        with _given_hparams(cls_kwargs):
            return cls(**cls_kwargs)
    except TypeError as err:
        if "argument" not in str(err):
            raise
        raise TypeError(
            f"Could not build `{cls.__name__}` from the hyperparameters in {checkpoint_path} ({err}). The checkpoint "
            f"and keyword arguments give {available}. Is it a checkpoint of a different class? Otherwise pass the missing "
            f"arguments: `{cls.__name__}.load_from_checkpoint(path, name=value)`."
        ) from None


_ALLOWED_INSTANTIATORS = {"lightning.pytorch.cli.instantiate_module", "pytorch_lightning.cli.instantiate_module"}


def _checkpoint_instantiator(path: Any, class_path: Any, cls: type) -> Optional[Callable]:
    """The trusted function a checkpoint's ``_instantiator`` hyperparameter names (never imports new user code)."""
    if path is None:
        return None
    if not isinstance(path, str) or path not in _ALLOWED_INSTANTIATORS:
        raise ValueError(
            f"The checkpoint asks for the instantiator {path!r}, which is not a trusted one, so loading stopped (it "
            "could run arbitrary code). If you trust this checkpoint, add the path to "
            "`lightning.pytorch.core.saving._ALLOWED_INSTANTIATORS`."
        )
    if class_path is not None:
        module_name, _, name = str(class_path).rpartition(".")
        target = getattr(sys.modules.get(module_name), name, None)
        if not (isinstance(target, type) and issubclass(target, cls)):
            raise ValueError(
                f"The checkpoint asks for class {class_path!r}, which is not an imported subclass of {cls.__name__}, "
                "so loading stopped (importing it could run arbitrary code). Import its module first if you trust it."
            )
    module_name, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module_name), name)


def _missing_init_args(init_params: Any, cls_kwargs: dict) -> list:
    return [
        name for name, p in init_params.items()
        if name != "self" and p.default is inspect.Parameter.empty and name not in cls_kwargs
        and p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    ]


def _as_dict(hparams: Any) -> dict:
    if isinstance(hparams, Namespace):
        return vars(hparams)
    return dict(hparams) if hparams else {}


def _is_datamodule(cls: type) -> bool:
    from lightning.pytorch.core.datamodule import LightningDataModule

    return issubclass(cls, LightningDataModule)


def _load_module_state(obj: Any, checkpoint: dict, strict: Optional[bool], checkpoint_path: Any = None) -> Any:
    if obj._strict_loading is not None and strict is not None and strict != obj.strict_loading:
        raise ValueError(
            f"`load_from_checkpoint(strict={strict})` contradicts `{type(obj).__name__}.strict_loading = "
            f"{obj.strict_loading}`; set only one of them."
        )
    strict = obj.strict_loading if strict is None else strict
    from lightning.pytorch.utilities.model_helpers import is_overridden

    if is_overridden("configure_model", obj):
        obj.configure_model()
    obj.on_load_checkpoint(checkpoint)
    try:
        keys = obj.load_state_dict(checkpoint["state_dict"], strict=strict)
    except RuntimeError as err:
        raise RuntimeError(
            f"The weights in {checkpoint_path} do not fit `{type(obj).__name__}`: {err}\n"
            "Is it a checkpoint of a different model class? Pass `strict=False` to load the matching keys only."
        ) from None
    if not strict:
        if keys.missing_keys:
            rank_zero_warn(f"Found keys that are in the model state dict but not in the checkpoint: {keys.missing_keys}")
        if keys.unexpected_keys:
            rank_zero_warn(
                f"Found keys that are not in the model state dict but in the checkpoint: {keys.unexpected_keys}"
            )
    state_dict = checkpoint["state_dict"]
    if not state_dict:
        rank_zero_warn(f"The state dict in {checkpoint_path!r} contains no parameters.")
        return obj
    tensor = next((t for t in state_dict.values() if isinstance(t, torch.Tensor)), None)
    return obj.to(tensor.device) if tensor is not None else obj


def load_hparams_from_tags_csv(tags_csv: Any) -> dict:
    """Read hyperparameters from a two-column ``key,value`` CSV file (1.x's ``meta_tags.csv``)."""
    if not os.path.isfile(tags_csv):
        rank_zero_warn(f"Missing Tags: {tags_csv}.", category=RuntimeWarning)
        return {}
    with open(tags_csv) as fp:
        reader = csv.reader(fp, delimiter=",")
        return {row[0]: _convert_value(row[1]) for row in list(reader)[1:]}


def save_hparams_to_tags_csv(tags_csv: Any, hparams: Any) -> None:
    if not os.path.isdir(os.path.dirname(str(tags_csv)) or "."):
        raise RuntimeError(f"Missing folder: {os.path.dirname(str(tags_csv))}.")
    if isinstance(hparams, Namespace):
        hparams = vars(hparams)
    with open(tags_csv, "w", newline="") as fp:
        writer = csv.DictWriter(fp, fieldnames=["key", "value"])
        writer.writeheader()
        for k, v in hparams.items():
            writer.writerow({"key": k, "value": v})


def load_hparams_from_yaml(config_yaml: Any, use_omegaconf: bool = True) -> dict:
    """Read a ``hparams.yaml`` file written by the loggers or :func:`save_hparams_to_yaml`."""
    import yaml

    if not os.path.isfile(config_yaml):
        rank_zero_warn(f"Missing Tags: {config_yaml}.", category=RuntimeWarning)
        return {}
    with open(config_yaml) as fp:
        hparams = yaml.full_load(fp)
    return hparams if hparams is not None else {}


def save_hparams_to_yaml(config_yaml: Any, hparams: Any, use_omegaconf: bool = True) -> None:
    """Write ``hparams`` (dict, Namespace or AttributeDict) to a YAML file; values YAML cannot hold are skipped
    with a warning."""
    import yaml

    folder = os.path.dirname(str(config_yaml))
    if folder and not os.path.isdir(folder):
        raise RuntimeError(f"Missing folder: {folder}.")
    if isinstance(hparams, Namespace):
        hparams = vars(hparams)
    elif isinstance(hparams, AttributeDict):
        hparams = dict(hparams)
    clean = {}
    for k, v in hparams.items():
        try:
            v = v.name if hasattr(v, "name") and type(v).__module__ == "enum" else v
            yaml.dump(v)
        except (TypeError, ValueError, yaml.representer.RepresenterError):
            warnings.warn(f"Skipping '{k}' parameter because it is not possible to safely dump to YAML.")
            continue
        clean[k] = v
    with open(config_yaml, "w", newline="") as fp:
        yaml.dump(clean, fp)


# ------------------------------------------------------------------ hyperparameters inside checkpoint files
# A checkpoint must load with plain `torch.load(path)` (weights_only=True), which refuses classes. Two common
# hyperparameter types are stored as plain data and rebuilt by `load_from_checkpoint`; which ones were converted is
# recorded next to the hyperparameters (`<hyper_parameters key>_types`, e.g. {"args": "argparse.Namespace"}).
_PLAIN_LEAVES = (type(None), bool, int, float, complex, str, bytes)
_TYPES_SUFFIX = "_types"


def _is_plain(value: Any) -> bool:
    """Whether a weights-only load can read ``value`` back (tensors, numbers, strings and plain containers)."""
    if isinstance(value, (torch.Tensor, torch.dtype, torch.device, torch.Size)) or type(value) in _PLAIN_LEAVES:
        return True
    if type(value) in (dict, collections.OrderedDict):
        return all(_is_plain(k) and _is_plain(v) for k, v in value.items())
    if type(value) in (list, tuple, set):
        return all(_is_plain(v) for v in value)
    return False


def hparams_for_checkpoint(hparams: Any, owner: str) -> tuple:
    """``(plain dict, {name: converted type})`` for a checkpoint. ``Namespace`` values become dicts and paths become
    strings; anything else that needs unpickling is kept as it is, with a warning saying how to avoid it."""
    plain: dict = {}
    converted: dict = {}
    for name, value in dict(hparams).items():
        if isinstance(value, Namespace) and _is_plain(vars(value)):
            plain[name], converted[name] = dict(vars(value)), "argparse.Namespace"
        elif isinstance(value, PurePath):
            plain[name], converted[name] = str(value), "pathlib.Path"
        else:
            plain[name] = value
            if not _is_plain(value):
                rank_zero_warn(
                    f"{owner} hyperparameter {name!r} is a {type(value).__name__}, which is pickled into the "
                    "checkpoint: loading the file will need `weights_only=False`. Leave it out with "
                    f"`self.save_hyperparameters(ignore=[{name!r}])` and pass it to `load_from_checkpoint` instead."
                )
    return plain, converted


def _restore_converted_hparams(hparams: Any, converted: Optional[dict]) -> Any:
    if not converted or not isinstance(hparams, dict):
        return hparams
    hparams = dict(hparams)
    for name, kind in converted.items():
        if name not in hparams:
            continue
        if kind == "argparse.Namespace" and isinstance(hparams[name], dict):
            hparams[name] = Namespace(**hparams[name])
        elif kind == "pathlib.Path" and isinstance(hparams[name], str):
            hparams[name] = Path(hparams[name])
    return hparams


def _convert_value(value: str) -> Any:
    try:
        return ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return value
