"""Rebuilding modules from checkpoints (``load_from_checkpoint``) and hyperparameter files (YAML / CSV tags)."""
import ast
import collections
import copy
import csv
import dataclasses
import datetime
import decimal
import enum
import fractions
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
from lightning.pytorch.utilities.model_helpers import imported_class, is_overridden

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
            from lightning.pytorch import _extensions

            _extensions.legacy_usage(
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
    import lightning.pytorch.utilities.checkpoint_io  # noqa: F401 - old callback keys are safe to load
    from lightning.fabric.utilities.cloud_io import _load_checkpoint
    from lightning.pytorch.utilities.migration.utils import _pl_migrate_checkpoint

    checkpoint = _load_checkpoint(checkpoint_path, map_location=map_location, weights_only=weights_only)
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
    type_key = CHECKPOINT_HYPER_PARAMS_TYPE if is_module else "datamodule_hparams_type"
    cls_kwargs: Any = {}
    if is_module:
        for old_key in CHECKPOINT_PAST_HPARAMS_KEYS:  # written by releases before 1.3
            cls_kwargs.update(_as_dict(checkpoint.get(old_key, {})))
    saved = _restore_converted_hparams(checkpoint.get(key, {}), checkpoint.get(key + _TYPES_SUFFIX))
    cls_kwargs.update(_as_dict(saved))
    # as in 2.6.6 the keyword arguments also replace the saved values, so they reach a single `hparams` object too
    cls_kwargs.update(overrides)
    if isinstance(saved, Namespace):
        cls_kwargs = Namespace(**cls_kwargs)
    elif isinstance(checkpoint.get(type_key), str):
        cls_kwargs = AttributeDict(cls_kwargs)  # 2.6.6 reads any type name (old files) as a dict
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
        return cls(**cls_kwargs)  # its save_hyperparameters reads the arguments (defaults included), as in 2.6.6
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
    # looked up, not imported: core.datamodule imports this file (and a subclass exists only once it is imported)
    base = imported_class("lightning.pytorch.core.datamodule", "LightningDataModule")
    return base is not None and issubclass(cls, base)


def _load_module_state(obj: Any, checkpoint: dict, strict: Optional[bool], checkpoint_path: Any = None) -> Any:
    if obj._strict_loading is not None and strict is not None and strict != obj.strict_loading:
        raise ValueError(
            f"`load_from_checkpoint(..., strict={strict})` is in conflict with `{type(obj).__name__}.strict_loading="
            f"{obj.strict_loading}`: set only one of them, or the same value in both."
        )
    strict = obj.strict_loading if strict is None else strict
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

    from lightning.fabric.utilities import cloud_io

    if not cloud_io._isfile(config_yaml):
        rank_zero_warn(f"Missing Tags: {config_yaml}.", category=RuntimeWarning)
        return {}
    with cloud_io._open(config_yaml) as fp:
        hparams = yaml.full_load(fp)
    return hparams if hparams is not None else {}


def save_hparams_to_yaml(config_yaml: Any, hparams: Any, use_omegaconf: bool = True) -> None:
    """Write ``hparams`` (dict, Namespace or AttributeDict) to a YAML file; values YAML cannot hold are skipped
    with a warning."""
    import yaml

    from lightning.fabric.utilities import cloud_io

    folder = os.path.dirname(str(config_yaml))
    if folder and not cloud_io._isdir(folder):
        raise RuntimeError(f"Missing folder: {folder}.")
    if isinstance(hparams, Namespace):
        hparams = vars(hparams)
    elif isinstance(hparams, AttributeDict):
        hparams = dict(hparams)
    clean = {}
    for k, v in hparams.items():
        try:
            v = v.name if isinstance(v, enum.Enum) else v  # written by name, as 2.6.6 does
            yaml.dump(v)
        except (TypeError, ValueError, yaml.representer.RepresenterError):
            warnings.warn(f"Skipping '{k}' parameter because it is not possible to safely dump to YAML.")
            continue
        clean[k] = v
    with cloud_io._open(config_yaml, "w", newline="") as fp:
        yaml.dump(clean, fp)


# ------------------------------------------------------------------ hyperparameters inside checkpoint files
# A checkpoint must load with plain `torch.load(path)` (weights_only=True), which refuses classes. Hyperparameters
# that are not plain data are therefore stored as plain data under `hyper_parameters` (so that any reader, the real
# Lightning 2.x included, gets a value it can pass to `__init__`), and a description of how to rebuild each of them
# is stored next to it, under `<hyper_parameters key>_types` = {name: spec}. Only names that needed it appear there.
#
#   value                         stored as                    spec
#   Enum member                   its name                     {"kind": "enum", "type": "pkg.mod.Color"}
#   pathlib path                  str(path)                    {"kind": "path", "type": "pathlib.Path"}
#   argparse.Namespace            dict of its attributes       {"kind": "namespace", "items": {attr: spec}}
#   AttributeDict                 dict                         {"kind": "attribute_dict", "items": {key: spec}}
#   dataclass instance            dict of its init fields      {"kind": "dataclass", "type": ..., "items": {...}}
#   namedtuple                    tuple                        {"kind": "namedtuple", "type": ..., "items": [...]}
#   frozenset                     list                         {"kind": "frozenset", "items": [...]}
#   numpy scalar (np.float64 ...) the Python number / str      {"kind": "numpy", "dtype": "float64"}
#   numpy array (numbers, str)    nested lists (tolist())      {"kind": "ndarray", "dtype": "float32", "shape": [..]}
#   date / datetime / time        ISO 8601 string              {"kind": "datetime", "type": "date"}
#   timedelta                     [days, seconds, microseconds] {"kind": "timedelta"}
#   Decimal / Fraction            str(value)                   {"kind": "decimal"} / {"kind": "fraction"}
#   slice                         [start, stop, step]          {"kind": "slice", "items": ...}
#   a class (e.g. nn.ReLU)        "pkg.mod.QualName"           {"kind": "class"}
#   dict / list / tuple / set     the same container           {"kind": "dict" | "list" | ..., "items": ...}
#   holding any of the above      with its items stored as above (an item spec of None: stored as it is)
#
# `load_from_checkpoint` rebuilds them. It never imports anything named by the file (numpy is imported to rebuild a
# numpy value, by name in this module; only number and string dtypes are accepted): a type is looked up in the modules already
# imported (the model's own module and what it imports), and only a type of the expected kind is accepted (an Enum
# subclass, a dataclass, a namedtuple class, a path class); a dataclass or namedtuple is rebuilt by calling it with
# the stored fields. A value that cannot be rebuilt keeps its plain form, with a warning. Values with no plain form
# (an `nn.Module`, an arbitrary object) are still pickled, with a warning that says how to avoid it.
# Checkpoints written before this table held strings ("argparse.Namespace", "pathlib.Path"); those still load.
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


class _NoPlainForm(TypeError):
    """``value`` has no plain-data form (see the table above)."""


def _type_path(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"  # a class made inside a function cannot be found by it: a warning


def _encode_items(items: Any) -> tuple:
    """``(plain items, specs or None)`` for the values of a list/tuple or of a dict (then keyed alike)."""
    if isinstance(items, dict):
        pairs = {key: _encode(value) for key, value in items.items()}
        for key in pairs:
            if not _is_plain(key):
                raise _NoPlainForm(f"a key of type {type(key).__name__}")
        specs = {key: spec for key, (_, spec) in pairs.items() if spec is not None}
        return {key: plain for key, (plain, _) in pairs.items()}, (specs or None)
    pairs = [_encode(value) for value in items]
    specs = [spec for _, spec in pairs]
    return [plain for plain, _ in pairs], (specs if any(spec is not None for spec in specs) else None)


def _encode(value: Any) -> tuple:
    """``(plain value, spec)``; the spec is None when the value is plain already. Raises :class:`_NoPlainForm`."""
    if type(value) in _PLAIN_LEAVES or isinstance(value, (torch.Tensor, torch.dtype, torch.device, torch.Size)):
        return value, None
    if isinstance(value, enum.Enum):
        return value.name, {"kind": "enum", "type": _type_path(type(value))}
    if isinstance(value, PurePath):  # a concrete path is rebuilt as the platform's Path where it is loaded
        return str(value), {"kind": "path", "type": "pathlib.Path" if isinstance(value, Path) else _type_path(type(value))}
    if isinstance(value, type):
        return _type_path(value), {"kind": "class"}
    if dataclasses.is_dataclass(value):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value) if f.init}
        plain, specs = _encode_items(fields)
        return plain, {"kind": "dataclass", "type": _type_path(type(value)), "items": specs}
    if isinstance(value, tuple) and hasattr(type(value), "_fields"):
        plain, specs = _encode_items(value)
        return tuple(plain), {"kind": "namedtuple", "type": _type_path(type(value)), "items": specs}
    if isinstance(value, Namespace):
        plain, specs = _encode_items(vars(value))
        return plain, {"kind": "namespace", "items": specs}
    if isinstance(value, AttributeDict):
        plain, specs = _encode_items(dict(value))
        return plain, {"kind": "attribute_dict", "items": specs}
    if type(value) in (dict, collections.OrderedDict):
        plain, specs = _encode_items(value)
        return type(value)(plain), (None if specs is None else {"kind": "dict", "items": specs})
    if type(value) in (list, tuple):
        plain, specs = _encode_items(value)
        return type(value)(plain), (None if specs is None else {"kind": type(value).__name__, "items": specs})
    if type(value) in (set, frozenset):
        plain, specs = _encode_items(list(value))
        if specs is None and type(value) is set:
            return value, None
        return plain, {"kind": type(value).__name__, "items": specs}
    plain_value = _encode_value_type(value)
    if plain_value is not None:
        return plain_value
    raise _NoPlainForm(f"a {type(value).__name__}")


_NUMPY_KINDS = "biufcUS"  # bool, ints, floats, complex, str, bytes: values a weights-only load reads back as lists
_TIME_TYPES = {"date": datetime.date, "datetime": datetime.datetime, "time": datetime.time}


def _encode_value_type(value: Any) -> Optional[tuple]:
    """``(plain, spec)`` for the value types of the standard library and numpy (the table above), else None."""
    if type(value) in _TIME_TYPES.values():
        if getattr(value, "tzinfo", None) is not None and not isinstance(value.tzinfo, datetime.timezone):
            raise _NoPlainForm(f"a {type(value).__name__} in the time zone {value.tzinfo!r} (only fixed offsets)")
        return value.isoformat(), {"kind": "datetime", "type": type(value).__name__}
    if type(value) is datetime.timedelta:
        return [value.days, value.seconds, value.microseconds], {"kind": "timedelta"}
    if type(value) is decimal.Decimal:
        return str(value), {"kind": "decimal"}
    if type(value) is fractions.Fraction:
        return str(value), {"kind": "fraction"}
    if type(value) is slice:
        plain, specs = _encode_items([value.start, value.stop, value.step])
        return plain, {"kind": "slice", "items": specs}
    numpy = sys.modules.get("numpy")  # a numpy value means numpy is imported
    if numpy is not None and isinstance(value, (numpy.generic, numpy.ndarray)):
        if value.dtype.kind not in _NUMPY_KINDS:
            raise _NoPlainForm(f"a numpy {type(value).__name__} of dtype {value.dtype}")
        if isinstance(value, numpy.generic):
            return value.item(), {"kind": "numpy", "dtype": value.dtype.str}
        return value.tolist(), {"kind": "ndarray", "dtype": value.dtype.str, "shape": list(value.shape)}
    return None


def hparams_for_checkpoint(hparams: Any, owner: str) -> tuple:
    """``(plain dict, {name: spec})`` for a checkpoint (the table above). A value with no plain form is kept as it
    is, so it is pickled, with a warning saying how to avoid that."""
    plain: dict = {}
    converted: dict = {}
    for name, value in dict(hparams).items():
        try:
            plain[name], spec = _encode(value)
        except _NoPlainForm:
            plain[name], spec = value, None
            rank_zero_warn(
                f"{owner} hyperparameter {name!r} is a {type(value).__name__}, which is pickled into the "
                "checkpoint: loading the file will need `weights_only=False`. Leave it out with "
                f"`self.save_hyperparameters(ignore=[{name!r}])` and pass it to `load_from_checkpoint` instead."
            )
        if spec is not None:
            converted[name] = spec
    return plain, converted


_LEGACY_SPECS = {"argparse.Namespace": {"kind": "namespace", "items": None},
                 "pathlib.Path": {"kind": "path", "type": "pathlib.Path"}}
_TYPE_CHECKS: dict = {
    "enum": lambda cls: issubclass(cls, enum.Enum),
    "path": lambda cls: issubclass(cls, PurePath),
    "dataclass": lambda cls: dataclasses.is_dataclass(cls),
    "namedtuple": lambda cls: issubclass(cls, tuple) and hasattr(cls, "_fields"),
    "class": lambda cls: True,
}


class _CannotRebuild(ValueError):
    pass


def _imported_type(path: Any, kind: str) -> type:
    """The class at ``path`` from a module that is already imported (never imports), if it is of ``kind``."""
    if not isinstance(path, str) or "." not in path:
        raise _CannotRebuild(f"{path!r} is not a dotted class path")
    found: Any = None
    parts = path.split(".")
    for cut in range(len(parts) - 1, 0, -1):  # the longest imported module prefix, then attributes
        module = sys.modules.get(".".join(parts[:cut]))
        if module is not None:
            found = module
            for attr in parts[cut:]:
                found = getattr(found, attr, None)
            break
    if not isinstance(found, type):
        raise _CannotRebuild(f"`{path}` is not a class of an imported module (import its module first)")
    if not _TYPE_CHECKS[kind](found):
        raise _CannotRebuild(f"`{path}` is not a {kind} class, so it is not used")
    return found


def _decode_items(plain: Any, specs: Any) -> Any:
    if not specs:
        return plain
    if isinstance(plain, dict) and isinstance(specs, dict):
        return {key: _decode(value, specs.get(key)) for key, value in plain.items()}
    if isinstance(plain, (list, tuple)) and isinstance(specs, list):
        return [_decode(value, spec) for value, spec in zip(plain, specs)] + list(plain[len(specs):])
    raise _CannotRebuild(f"stored items {type(plain).__name__} do not fit their description")


def _decode(plain: Any, spec: Any) -> Any:
    """The value described by ``spec`` (the table above), rebuilt from ``plain``. Raises :class:`_CannotRebuild`."""
    if spec is None:
        return plain
    spec = _LEGACY_SPECS.get(spec, spec) if isinstance(spec, str) else spec
    kind = spec.get("kind") if isinstance(spec, dict) else None
    items = spec.get("items") if isinstance(spec, dict) else None
    if kind in ("enum", "path", "class", "dataclass", "namedtuple"):
        cls = _imported_type(plain if kind == "class" else spec.get("type"), kind)
        if kind == "class":
            return cls
        if kind == "enum":
            return cls[plain]
        if kind == "path":
            return cls(plain)
        fields = _decode_items(plain, items)
        return cls(**fields) if kind == "dataclass" else cls(*fields)
    if kind in _VALUE_DECODERS:
        return _VALUE_DECODERS[kind](plain, spec)
    if kind == "namespace":
        return Namespace(**_decode_items(plain, items))
    if kind == "attribute_dict":
        return AttributeDict(_decode_items(plain, items))
    if kind in ("dict", "list", "tuple", "set", "frozenset"):
        rebuilt = _decode_items(plain, items)
        return {"dict": lambda v: type(plain)(v), "list": list, "tuple": tuple, "set": set, "frozenset": frozenset}[
            kind
        ](rebuilt)
    raise _CannotRebuild(f"unknown description {spec!r}")


def _numpy_dtype(spec: dict) -> Any:
    import numpy

    dtype = numpy.dtype(str(spec.get("dtype")))
    if dtype.kind not in _NUMPY_KINDS:
        raise _CannotRebuild(f"the numpy dtype {dtype} is not a number or string type")
    return dtype


def _decode_time(plain: Any, spec: dict) -> Any:
    cls = _TIME_TYPES.get(spec.get("type"))
    if cls is None or not isinstance(plain, str):
        raise _CannotRebuild(f"{spec.get('type')!r} is not a date, datetime or time")
    return cls.fromisoformat(plain)


def _decode_slice(plain: Any, spec: dict) -> slice:
    values = _decode_items(plain, spec.get("items"))
    if not isinstance(values, (list, tuple)) or len(values) != 3:
        raise _CannotRebuild("a slice is stored as [start, stop, step]")
    return slice(*values)


_VALUE_DECODERS: dict = {
    "datetime": _decode_time,
    "timedelta": lambda plain, spec: datetime.timedelta(*plain),
    "decimal": lambda plain, spec: decimal.Decimal(str(plain)),
    "fraction": lambda plain, spec: fractions.Fraction(str(plain)),
    "slice": _decode_slice,
    "numpy": lambda plain, spec: _numpy_dtype(spec).type(plain),
    "ndarray": lambda plain, spec: __import__("numpy").array(plain, dtype=_numpy_dtype(spec)).reshape(
        [int(n) for n in spec.get("shape", [])]),
}


def _restore_converted_hparams(hparams: Any, converted: Optional[dict]) -> Any:
    """The saved hyperparameters with the values of the ``_types`` table rebuilt; one that cannot be rebuilt keeps
    its stored plain form, with a warning saying why."""
    if not converted or not isinstance(hparams, dict) or not isinstance(converted, dict):
        return hparams
    hparams = dict(hparams)
    for name, spec in converted.items():
        if name not in hparams:
            continue
        try:
            hparams[name] = _decode(hparams[name], spec)
        except (_CannotRebuild, KeyError, TypeError, ValueError, ArithmeticError, ImportError) as err:
            rank_zero_warn(
                f"Hyperparameter {name!r} is passed as it was stored ({type(hparams[name]).__name__}) because it "
                f"could not be rebuilt: {err}. Pass the value to `load_from_checkpoint({name}=...)` to override it."
            )
    return hparams


def _convert_value(value: str) -> Any:
    try:
        return ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return value


def convert(val: str) -> Any:
    """A string from a tags CSV as the Python literal it spells (the string itself when it spells none)."""
    return _convert_value(val)


def update_hparams(hparams: dict, updates: dict) -> None:
    """Merge ``updates`` into ``hparams`` in place; nested dicts are merged key by key, not replaced."""
    for key, value in updates.items():
        if isinstance(value, dict) and isinstance(hparams.get(key), dict):
            update_hparams(hparams[key], value)
        else:
            hparams[key] = value
