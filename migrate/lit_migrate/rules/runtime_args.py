"""Trainer arguments only known at run time (a YAML/OmegaConf config, a namespace from another module, a dict
changed item by item): `Trainer(**cfg)` -> `Trainer(**_trainer_args_2x(cfg))`, with a small function added to the
file that applies the migration table (A.1-A.6) to the mapping when the script runs.

The function is generated from `legacy_facts` (renames, 1.x defaults, strategy names, precision values) and handles
the arguments real configs carry: the device group, precision, the progress bar, checkpointing, the model summary,
the sampler flag; a 1.x-only argument at its 1.x default is dropped; any other 1.x-only argument with a value
raises a ValueError that names it and its 2.x replacement. `namespace=True` first keeps only the keys that are
Trainer arguments (1.x `from_argparse_args` passed only those).
"""

from __future__ import annotations

import weakref

import libcst as cst

from .. import legacy_facts as facts
from ..cstutil import code, expr
from ..values import render_source

HELPER_NAME = "_trainer_args_2x"


def _tables(quote: str) -> str:
    legacy = [n for n in facts.TRAINER_ARGS if n not in facts.TRAINER_2X_PARAMS]
    renames = {n: facts.TRAINER_ARGS[n].rename_to for n in legacy if facts.TRAINER_ARGS[n].rename_to}
    defaults = {n: d for n, d, _ in facts.TRAINER_ARGPARSE_1_9 if n not in facts.TRAINER_2X_PARAMS}
    removed = {n: (defaults.get(n), facts.TRAINER_ARGS[n].new) for n in legacy}
    params = sorted({n for n, _, _ in facts.TRAINER_ARGPARSE_1_9} | {"callbacks", "deterministic"})
    # strategies 1.x accepted as accelerator=; only the renamed ones need a value
    strategies = sorted(facts.LEGACY_ACCELERATOR_STRATEGIES)
    renamed = {n: facts.STRATEGY_RENAMES[n] for n in strategies if facts.STRATEGY_RENAMES.get(n, n) != n}
    precision = {k: v for k, v in facts.PRECISION_MAP.items() if isinstance(k, (int, str))}
    return "".join([
        _assignment("_RENAMED_1X", renames, quote),
        "# removed argument: (its 1.x default, which is dropped; what 2.x uses instead)\n",
        _assignment("_REMOVED_1X", removed, quote),
        _words("_TRAINER_PARAMS_1X", params, quote),
        _words("_STRATEGIES_1X", strategies, quote),
        _assignment("_STRATEGY_RENAMES_1X", renamed, quote),
        _assignment("_PRECISION_1X", precision, quote),
        _assignment("_GPUS_CPU_1X", facts.GPUS_CPU_VALUES, quote)])


_WIDTH = 110


def _assignment(name: str, value: object, quote: str) -> str:
    """`NAME = value`, wrapped at _WIDTH with as many entries on a line as fit."""
    text = f"{name} = {render_source(value, quote)}\n"
    if len(text) <= _WIDTH:
        return text
    if isinstance(value, dict):
        items = [f"{render_source(k, quote)}: {render_source(v, quote)}" for k, v in value.items()]
        return f"{name} = {{\n{_fill(items)}}}\n"
    items = [render_source(v, quote) for v in value]  # type: ignore[attr-defined]
    return f"{name} = (\n{_fill(items)})\n"


def _words(name: str, words: list[str], quote: str) -> str:
    """`NAME = frozenset("a b c ...".split())`, the string wrapped over lines."""
    lines, line = [], ""
    for word in words:
        if line and len(line) + len(word) + 8 > _WIDTH:
            lines.append(line)
            line = ""
        line += word + " "
    lines.append(line.rstrip())
    if len(lines) == 1:
        return f"{name} = frozenset({quote}{lines[0]}{quote}.split())\n"
    return f"{name} = frozenset((\n" + "".join(f"    {quote}{line}{quote}\n" for line in lines) + ").split())\n"


def _fill(items: list[str]) -> str:
    lines, line = [], "   "
    for item in items:
        if len(line) > 3 and len(line) + len(item) + 2 > _WIDTH:
            lines.append(line + "\n")
            line = "   "
        line += f" {item},"
    return "".join(lines) + line + "\n"


_FUNCTION = '''def _trainer_args_2x(args, namespace=False, given=(), overrides=None):
    """1.x Trainer arguments known only at run time, as the 2.x Trainer takes them (added by lit-migrate).

    namespace: an argparse namespace (only its Trainer arguments are kept); overrides: a second mapping whose
    entries win; given: the keywords the call passes itself, which win over both.
    """
    args = {k: v for k, v in (vars(args) if namespace else dict(args)).items() if k not in given}
    if namespace:
        args = {k: v for k, v in args.items() if k in _TRAINER_PARAMS_1X}
    args.update({k: v for k, v in dict(overrides or {}).items() if k not in given})
    for old, new in _RENAMED_1X.items():
        if old in args:
            args.setdefault(new, args.pop(old))
    backend = args.pop("distributed_backend", None)
    if isinstance(args.get("accelerator"), str) and args["accelerator"] in _STRATEGIES_1X:
        backend = backend or args["accelerator"]
        args.pop("accelerator")
    device_keys = ("gpus", "tpu_cores", "num_processes", "devices", "accelerator", "ipus")
    no_device = all(args.get(k) is None for k in device_keys) and not set(given) & set(device_keys)
    if backend is not None:
        if backend == "ddp_cpu":
            args.setdefault("accelerator", "cpu")
        args.setdefault("strategy", _STRATEGY_RENAMES_1X.get(backend, backend))
    gpus = args.pop("gpus", None)
    if gpus not in _GPUS_CPU_1X:
        args["accelerator"], args["devices"] = "cuda", gpus
        if args.pop("auto_select_gpus", None) and isinstance(gpus, int):
            from lightning.pytorch.accelerators import find_usable_cuda_devices
            args["devices"] = find_usable_cuda_devices(gpus)
    tpu_cores = args.pop("tpu_cores", None)
    if tpu_cores is not None:
        args["accelerator"] = "tpu"
        args["devices"] = [tpu_cores[0] - 1] if isinstance(tpu_cores, list) and len(tpu_cores) == 1 else tpu_cores
    processes = args.pop("num_processes", None)
    if processes not in (None, 1):
        args["accelerator"], args["devices"] = "cpu", processes
    if no_device:
        args["accelerator"] = "cpu"  # 1.x ran on the CPU unless told otherwise; 2.x would take every GPU
    if args.get("precision") in _PRECISION_1X:
        args["precision"] = _PRECISION_1X[args["precision"]]
    if args.pop("amp_backend", None) not in (None, "native"):
        raise ValueError("amp_backend='apex' was removed in 2.0: use precision='16-mixed'")
    args.pop("amp_level", None)
    rate = args.pop("progress_bar_refresh_rate", None)
    if rate == 0:
        args["enable_progress_bar"] = False
    elif rate is not None and rate != 1:
        from lightning.pytorch.callbacks import TQDMProgressBar
        callbacks = args.get("callbacks") or []
        args["callbacks"] = [*(callbacks if isinstance(callbacks, (list, tuple)) else [callbacks]),
                             TQDMProgressBar(refresh_rate=rate)]
    if "weights_summary" in args:
        summary = args.pop("weights_summary")
        if summary is None:
            args["enable_model_summary"] = False
        elif summary == "full":
            from lightning.pytorch.callbacks import ModelSummary
            args["callbacks"] = [*(args.get("callbacks") or []), ModelSummary(max_depth=-1)]
    if args.pop("terminate_on_nan", False):
        args["detect_anomaly"] = True
    if args.pop("reload_dataloaders_every_epoch", False):
        args["reload_dataloaders_every_n_epochs"] = 1
    for name, (default, replacement) in _REMOVED_1X.items():
        if name in args:
            value = args.pop(name)
            if value != default and value not in (None, False):
                raise ValueError(f"Trainer({name}={value!r}) was removed in 2.0: use {replacement}")
    return {k: v for k, v in args.items() if k not in given}
'''


def helper_source(quote: str) -> str:
    """The tables and the function, as module-level source (inserted once per file)."""
    return _tables(quote) + "\n\n" + _FUNCTION


def is_wrapped(value: cst.BaseExpression) -> bool:
    """`_trainer_args_2x(...)`: a mapping a previous run already translates."""
    return isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and value.func.value == HELPER_NAME


def wrap(value: cst.BaseExpression, given: list[str], namespace: bool = False,
         overrides: cst.BaseExpression | None = None) -> cst.BaseExpression:
    """`value` -> `_trainer_args_2x(value[, namespace=True][, given=(...)][, overrides=...])`."""
    extra = ", namespace=True" if namespace else ""
    if given:
        extra += f", given={render_source(tuple(given))}"
    if overrides is not None:
        extra += f", overrides={code(overrides)}"
    return expr(f"{HELPER_NAME}({code(value)}{extra})")


_REQUESTED: "weakref.WeakSet[object]" = weakref.WeakSet()


def request(ctx: object) -> None:
    """The file of `ctx` needs the helper (the trainer-args rule adds it when it leaves the module)."""
    _REQUESTED.add(ctx)


def add_helper(module: cst.Module, ctx: object, quote: str) -> cst.Module:
    """The helper after the file's last top-level import, once (a previous run's copy is kept)."""
    if ctx not in _REQUESTED:
        return module
    body = list(module.body)
    if any(isinstance(s, cst.FunctionDef) and s.name.value == HELPER_NAME for s in body):
        return module
    at = 0
    for i, stmt in enumerate(body):
        if isinstance(stmt, cst.SimpleStatementLine) and all(
                isinstance(s, (cst.Import, cst.ImportFrom)) for s in stmt.body):
            at = i + 1
    new = list(cst.parse_module(helper_source(quote)).body)
    blank = [cst.EmptyLine(), cst.EmptyLine()]
    new[0] = new[0].with_changes(leading_lines=blank)
    for i, stmt in enumerate(new):
        if isinstance(stmt, cst.FunctionDef):
            new[i] = stmt.with_changes(leading_lines=blank)
    if at < len(body):
        body[at] = body[at].with_changes(leading_lines=blank + [line for line in body[at].leading_lines
                                                                if line.comment is not None])
    return module.with_changes(body=body[:at] + new + body[at:])
