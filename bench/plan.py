"""What the benchmark measures: every scenario, its size for the default / ``--full`` / ``--smoke`` runs, and
its target (issue 8).

A scenario is a dict: ``id`` (``group.name``), ``title``, ``kind`` (how the worker runs it), ``params``,
``rounds``, ``target`` (``{"op": "<=", "value": ...}`` on the headline figure, or None), and ``where``: which
implementations can run it (``ours``, ``lightning``, ``legacy``).
"""
from dataclasses import dataclass

ALL = ("ours", "lightning", "legacy")
MODERN = ("ours", "lightning")  # needs `lightning.*` (Fabric, lightning.pytorch.plugins.io via bench modules)


@dataclass(frozen=True)
class Sizes:
    """How big each family of scenarios is for one kind of run."""

    rounds: int
    mlp_batches: int
    mlp_epochs: int
    cnn_batches: int
    steps: tuple
    val_batches: tuple
    log_keys: tuple
    callbacks: tuple
    checkpoint_mb: tuple
    codemod_files: int
    import_repeats: int
    memory_rounds: int
    fabric_steps: int


DEFAULT = Sizes(rounds=5, mlp_batches=250, mlp_epochs=4, cnn_batches=10, steps=(1_000, 10_000),
                val_batches=(100, 1_000), log_keys=(1, 10, 100), callbacks=(0, 5, 20), checkpoint_mb=(1.0,),
                codemod_files=300, import_repeats=5, memory_rounds=2, fabric_steps=200)
FULL = Sizes(rounds=7, mlp_batches=250, mlp_epochs=4, cnn_batches=20, steps=(1_000, 10_000, 100_000),
             val_batches=(100, 1_000, 10_000), log_keys=(1, 10, 100), callbacks=(0, 5, 20),
             checkpoint_mb=(1.0, 500.0), codemod_files=3_000, import_repeats=9, memory_rounds=3, fabric_steps=500)
SMOKE = Sizes(rounds=1, mlp_batches=4, mlp_epochs=2, cnn_batches=2, steps=(8, 16), val_batches=(4, 8),
              log_keys=(1, 3), callbacks=(0, 2), checkpoint_mb=(0.1,), codemod_files=6, import_repeats=1,
              memory_rounds=1, fabric_steps=4)

MINIMAL_TARGET = {"op": "<=", "value": 1.15}
SCALING_BATCHES = 1_000  # batches per epoch in the steps-scaling runs: 100k steps are 100 epochs of 1k


def _fit(id_, title, params, sizes, target=None, rounds=None):
    return {"id": id_, "title": title, "kind": "fit", "params": params, "rounds": rounds or sizes.rounds,
            "target": target, "where": ALL, "unit": "ratio"}


def _row(id_, title, unit, where, target=None):
    """A figure measured outside the worker (fresh processes, codemod): no kind/params, just how to show it."""
    return {"id": id_, "title": title, "unit": unit, "target": target, "where": where}


def overhead(sizes: Sizes) -> list:
    mlp = {"batches": sizes.mlp_batches, "epochs": sizes.mlp_epochs}
    cnn = {"net": "cnn", "batches": sizes.cnn_batches, "epochs": 2}
    defaults = {"features": "defaults", "log_keys": 1}
    val_batches = max(2, sizes.mlp_batches // 5)
    return [
        _fit("overhead.mlp_minimal", "MLP, minimal (logger/ckpt/progress off)", mlp, sizes, MINIMAL_TARGET),
        _fit("overhead.mlp_defaults", "MLP, defaults (TensorBoard, ckpt/epoch, progress, self.log/step)",
             {**mlp, **defaults}, sizes, {"op": "<=", "value": 1.35}),
        _fit("overhead.mlp_manual", "MLP, manual optimization", {**mlp, "manual": True}, sizes),
        _fit("overhead.mlp_accumulate", "MLP, accumulate_grad_batches=2", {**mlp, "accumulate": 2}, sizes),
        _fit("overhead.mlp_validation", f"MLP, validation every epoch ({val_batches} batches)",
             {**mlp, "val_batches": val_batches}, sizes),
        _fit("overhead.cnn_minimal", "CNN (compute-bound), minimal", cnn, sizes, {"op": "<=", "value": 1.02},
             rounds=max(1, sizes.rounds - 2)),
        _fit("overhead.cnn_defaults", "CNN (compute-bound), defaults", {**cnn, **defaults}, sizes,
             rounds=max(1, sizes.rounds - 2)),
    ]


def scaling(sizes: Sizes) -> list:
    rounds = max(1, sizes.rounds - 2)
    batches = min(SCALING_BATCHES, sizes.steps[0])
    out = [_fit(f"scaling.steps_{n}", f"steps: {n:,}", {"batches": batches, "epochs": n // batches}, sizes,
                rounds=rounds if n < 100_000 else 1) for n in sizes.steps]
    out += [{"id": f"scaling.val_batches_{n}", "title": f"validate(): {n:,} batches", "kind": "validate",
             "params": {"val_batches": n}, "rounds": rounds, "target": None, "where": ALL, "unit": "ratio"}
            for n in sizes.val_batches]
    base = {"batches": sizes.mlp_batches, "epochs": sizes.mlp_epochs}
    out += [_fit(f"scaling.log_keys_{n}", f"self.log: {n} keys/step", {**base, "log_keys": n}, sizes, rounds=rounds)
            for n in sizes.log_keys]
    out += [_fit(f"scaling.callbacks_{n}", f"callbacks: {n}", {**base, "callbacks": n}, sizes, rounds=rounds)
            for n in sizes.callbacks]
    return out


def checkpoint(sizes: Sizes) -> list:
    return [{"id": f"checkpoint.{op}_{mb:g}mb", "title": f"checkpoint {op} {mb:g} MB vs torch.{op}",
             "kind": "checkpoint", "params": {"size_mb": mb, "op": op},
             "rounds": 15 if mb < 50 else 3, "target": {"op": "<=", "value": 1.1}, "where": MODERN, "unit": "ratio"}
            for mb in sizes.checkpoint_mb for op in ("save", "load")]


def fabric(sizes: Sizes) -> list:
    return [{"id": "fabric.loop", "title": "Fabric loop vs raw loop (MLP 256, batch 64)", "kind": "fabric",
             "params": {"steps": sizes.fabric_steps, "hidden": 256, "batch_size": 64}, "rounds": sizes.rounds,
             "target": {"op": "<=", "value": 1.05}, "where": MODERN, "unit": "ratio"}]


def worker_scenarios(sizes: Sizes, groups: set) -> list:
    """The scenarios that run inside a worker, in the order they run."""
    return [row for row in all_rows(sizes, groups, cores=1) if "kind" in row]


def startup() -> list:
    rows = []
    for module, where in (("lightning", ("ours", "lightning")), ("pytorch_lightning", ("ours", "legacy"))):
        rows.append(_row(f"startup.import_{module}_s", f"import {module}: time over import torch", "seconds", where,
                         {"op": "<=", "value": 0.15}))
        rows.append(_row(f"startup.import_{module}_rss", f"import {module}: RSS over import torch", "MB", where,
                         {"op": "<=", "value": 15}))
    return rows


def codemod(cores: int) -> list:
    per_core = {"op": ">=", "value": 0.6}  # issue 16: >= 60% of bare libcst per core
    rows = [_row("codemod.legacy_1core", "lit-migrate vs libcst parse+codegen, 1 core", "share", ("ours",), per_core)]
    if cores > 1:
        rows.append(_row(f"codemod.legacy_{cores}cores", f"lit-migrate vs libcst, {cores} cores", "share", ("ours",),
                         per_core))
    rows.append(_row("codemod.mixed_tree", "lit-migrate vs libcst, tree with 20% Lightning files", "share", ("ours",)))
    return rows


def memory() -> list:
    return [_row("memory.fit_defaults", "peak RSS of a fit (defaults, 4.3M-param MLP) vs raw loop", "ratio", ALL)]


def all_rows(sizes: Sizes, groups: set, cores: int) -> list:
    """Every figure of the run, in table order."""
    builders = {"overhead": lambda: overhead(sizes), "scaling": lambda: scaling(sizes), "startup": startup,
                "checkpoint": lambda: checkpoint(sizes), "codemod": lambda: codemod(cores), "memory": memory,
                "fabric": lambda: fabric(sizes)}
    return [row for group in GROUPS if group in groups for row in builders[group]()]


MEMORY_SPEC = {"net": "wide", "batches": 20, "epochs": 2, "features": "defaults", "log_keys": 1}
PROFILE_SPECS = {
    "minimal": {"batches": 250, "epochs": 4},
    "defaults": {"batches": 250, "epochs": 4, "features": "defaults", "log_keys": 1},
}
GROUPS = ("overhead", "scaling", "startup", "checkpoint", "codemod", "memory", "fabric")
