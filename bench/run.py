"""``python -m bench``: every benchmark in one go; a table on stdout, ``results.json``, ``results.md`` and
``results.png`` (when matplotlib is installed) in ``--out-dir`` (``bench/`` by default).

    .venv/bin/python -m bench [--full | --smoke] [--only overhead,startup,...] [--rounds N]
                              [--vs-lightning PY] [--vs-legacy PY] [--profile] [--out-dir DIR]

Every figure is ours against a hand-written baseline measured in the same run (a raw PyTorch loop,
``torch.save``/``torch.load``, bare libcst, ``import torch``), interleaved in rounds, one thread, fixed seeds.
``--vs-lightning`` / ``--vs-legacy`` run the same scenarios with the real ``lightning`` / ``pytorch_lightning``
interpreters (each against its own raw loop) as extra columns.
"""
import argparse
import datetime
import json
import os
import platform
import shlex
import sys
import tempfile
from pathlib import Path

from bench import plan as plans
from bench.codemod_rates import all_cores, codemod_rates
from bench.processes import REPO, import_costs, peak_memory, run_worker
from bench.report import build_rows, format_table, markdown_table

IMPLEMENTATIONS = {  # column -> trainer package the worker builds on
    "ours": "lightning.pytorch",
    "lightning": "lightning.pytorch",
    "legacy": "pytorch_lightning",
}
STARTUP_MODULES = {"ours": ["lightning", "pytorch_lightning"], "lightning": ["lightning"],
                   "legacy": ["pytorch_lightning"]}


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--full", action="store_true", help="long sizes too: 100k steps, 10k val batches, 500 MB "
                      "checkpoints, 3000-file codemod tree")
    size.add_argument("--smoke", action="store_true", help="tiny sizes, one round: checks that everything runs")
    parser.add_argument("--only", default=",".join(plans.GROUPS),
                        help=f"comma-separated groups to run (default all: {','.join(plans.GROUPS)})")
    parser.add_argument("--rounds", type=int, default=None, help="override the number of interleaved rounds")
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                        help="headline clock of the timed scenarios (both are recorded): wall (default) or cpu, "
                        "steadier on a loaded machine; checkpoint I/O and imports are always wall")
    parser.add_argument("--vs-lightning", metavar="PY", help="python of a venv with the real lightning 2.x")
    parser.add_argument("--vs-legacy", metavar="PY", help="python of a venv with the real pytorch-lightning 1.x")
    parser.add_argument("--profile", action="store_true", help="also cProfile ours on the minimal and defaults "
                        "scenarios; reports go to OUT_DIR/profiles/")
    parser.add_argument("--out-dir", type=Path, default=REPO / "bench")
    parser.add_argument("--no-chart", action="store_true")
    parser.add_argument("--render", type=Path, metavar="RESULTS_JSON", help="measure nothing: print the table and "
                        "rewrite results.md / results.png in --out-dir from an earlier results.json")
    args = parser.parse_args(argv)
    groups = [g.strip() for g in args.only.split(",") if g.strip()]
    unknown = sorted(set(groups) - set(plans.GROUPS))
    if unknown:
        parser.error(f"unknown group(s) {', '.join(unknown)}: choose from {', '.join(plans.GROUPS)}")
    args.groups = set(groups)
    for flag in ("vs_lightning", "vs_legacy"):
        python = getattr(args, flag)
        if python and not os.access(python, os.X_OK):
            parser.error(f"--{flag.replace('_', '-')} {python}: not an executable interpreter; pass the python of "
                         "the venv that has the package, e.g. /path/to/venv/bin/python")
    if args.rounds is not None and args.rounds < 1:
        parser.error(f"--rounds must be >= 1, got {args.rounds}")
    return args


def _sizes(args):
    sizes = plans.FULL if args.full else plans.SMOKE if args.smoke else plans.DEFAULT
    if args.rounds:
        from dataclasses import replace

        sizes = replace(sizes, rounds=args.rounds)
    return sizes


def _say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def run(args) -> dict:
    sizes = _sizes(args)
    pythons = {"ours": sys.executable, "lightning": args.vs_lightning, "legacy": args.vs_legacy}
    pythons = {impl: py for impl, py in pythons.items() if py}
    scenarios = plans.worker_scenarios(sizes, args.groups)
    measured = {impl: {} for impl in pythons}  # impl -> scenario id -> result dict
    described = {}
    log_dir = Path(tempfile.mkdtemp(prefix="bench-logs-"))
    timeout = 7200 if args.full else 1800
    meta = {"started": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "command": "python -m bench " + " ".join(shlex.quote(a) for a in sys.argv[1:]),
            "size": "full" if args.full else "smoke" if args.smoke else "default", "sizes": vars(sizes),
            "machine": {"platform": platform.platform(), "cpus": all_cores(), "load_avg_start": os.getloadavg()},
            "threads": 1, "clock": args.clock, "logs": str(log_dir)}

    for impl, python in pythons.items():
        plan = [s for s in scenarios if impl in s["where"]]
        if plan:
            _say(f"{impl}: {len(plan)} timed scenarios in {python}")
            data = run_worker(python, IMPLEMENTATIONS[impl], plan, log_dir / f"worker-{impl}.log", timeout,
                              args.clock)
            described[impl] = data["implementation"]
            measured[impl].update(data["results"])
        if "startup" in args.groups:
            _say(f"{impl}: import time and RSS, {sizes.import_repeats} fresh processes each")
            try:
                costs = import_costs(python, STARTUP_MODULES[impl], sizes.import_repeats)
            except (RuntimeError, OSError) as exc:
                costs = {m: {"error": str(exc)} for m in STARTUP_MODULES[impl]}
            for module, value in costs.items():
                measured[impl][f"startup.import_{module}_s"] = value
                measured[impl][f"startup.import_{module}_rss"] = value
        if "memory" in args.groups:
            _say(f"{impl}: peak memory of a fit vs the raw loop, fresh processes")
            spec = {**plans.MEMORY_SPEC, "batches": min(plans.MEMORY_SPEC["batches"], sizes.mlp_batches)}
            measured[impl]["memory.fit_defaults"] = peak_memory(python, IMPLEMENTATIONS[impl], spec,
                                                                sizes.memory_rounds, log_dir)
    if "codemod" in args.groups:
        _say(f"ours: lit-migrate vs bare libcst on {sizes.codemod_files} generated files")
        rounds = max(1, min(2, sizes.rounds))
        try:
            measured["ours"].update(codemod_rates(sizes.codemod_files, rounds, all_cores()))
        except Exception as exc:  # reported in the table rather than losing every other figure
            measured["ours"]["codemod.legacy_1core"] = {"error": f"{type(exc).__name__}: {exc}"}
    profiles = profile(sizes, log_dir, args.out_dir) if args.profile else None
    meta["machine"]["load_avg_end"] = os.getloadavg()
    meta["finished"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    return {"meta": meta, "implementations": described, "rows": build_rows(plans.all_rows(sizes, args.groups, all_cores()), measured),
            "profiles": profiles}


def profile(sizes, log_dir: Path, out_dir: Path) -> dict:
    folder = out_dir / "profiles"
    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    for name, spec in plans.PROFILE_SPECS.items():
        if sizes is plans.SMOKE:
            spec = {**spec, "batches": sizes.mlp_batches, "epochs": sizes.mlp_epochs}
        entries.append({"id": f"profile.{name}", "kind": "profile",
                        "params": {"spec": spec, "out": str(folder / f"{name}.txt")}})
    _say("ours: cProfile of the minimal and defaults fits")
    return run_worker(sys.executable, IMPLEMENTATIONS["ours"], entries, log_dir / "profile.log", 1800)["results"]


def write_outputs(report: dict, out_dir: Path, chart: bool) -> list:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [out_dir / "results.json", out_dir / "results.md"]
    written[0].write_text(json.dumps(report, indent=1) + "\n")  # with --render: the same figures, rewritten
    written[1].write_text(markdown_table(report) + "\n")
    if chart:
        from bench.chart import draw

        png = out_dir / "results.png"
        if draw(report, png):
            written.append(png)
        else:
            _say("matplotlib is not installed: no chart (pip install matplotlib to get results.png)")
    return written


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.render:
        try:
            report = json.loads(args.render.read_text())
        except (OSError, ValueError) as exc:
            raise SystemExit(f"--render {args.render}: cannot read a results.json ({exc}); run `python -m bench` "
                             "first") from None
    else:
        report = run(args)
    print(format_table(report))
    for path in write_outputs(report, args.out_dir, chart=not args.no_chart):
        _say(f"wrote {path}")
    return 0
