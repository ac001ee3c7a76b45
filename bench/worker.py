"""Runs a list of benchmark scenarios in this interpreter and writes their results as JSON.

    PY -m bench.worker --package lightning.pytorch --plan plan.json --out results.json

Started by ``bench.run`` once per interpreter (ours, the real ``lightning``, the real ``pytorch_lightning``), from
the repository root so that ``bench`` is importable while ``lightning`` resolves to that interpreter's own package.
A scenario that fails is recorded with its error and the others still run.
"""
import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import sys
import tempfile
import traceback


def _fit_spec(params: dict):
    from bench.workloads import FitSpec

    return FitSpec(**params)


def _per_step(result: dict, steps: int) -> dict:
    raw_us = result["raw_s"] / steps * 1e6
    result.update(steps=steps, raw_us_per_step=raw_us, ours_us_per_step=result["ours_s"] / steps * 1e6,
                  overhead_us_per_step=(result["ratio"] - 1) * raw_us)  # from the headline ratio: same sign
    return result


def _steps_pair(raw, ours, spec, steps: int, rounds: int, root: str, clock: str) -> dict:
    from bench.timing import interleaved

    result = interleaved(lambda: raw(spec, tempfile.mkdtemp(dir=root)), lambda: ours(spec, tempfile.mkdtemp(dir=root)),
                         rounds, clock=clock)
    return _per_step(result, steps)


def run_fit(params: dict, rounds: int, root: str, clock: str) -> dict:
    from bench import workloads

    spec = _fit_spec(params)
    return _steps_pair(workloads.raw_fit, workloads.trainer_fit, spec, spec.epochs * spec.batches, rounds, root, clock)


def run_validate(params: dict, rounds: int, root: str, clock: str) -> dict:
    from bench import workloads

    spec = _fit_spec(params)
    return _steps_pair(workloads.raw_validate, workloads.trainer_validate, spec, spec.val_batches, rounds, root, clock)


def run_checkpoint(params: dict, rounds: int, root: str, clock: str) -> dict:
    import torch

    from bench.checkpoint_io import make_checkpoint
    from bench.timing import interleaved
    from bench.workloads import pl

    checkpoint = make_checkpoint(params["size_mb"])
    checkpoint_io = pl.plugins.io.TorchCheckpointIO()
    plain_path, ours_path = os.path.join(root, "plain.ckpt"), os.path.join(root, "ours.ckpt")
    torch.save(checkpoint, plain_path)
    checkpoint_io.save_checkpoint(checkpoint, ours_path)
    if params["op"] == "save":
        result = interleaved(lambda: torch.save(checkpoint, plain_path),
                             lambda: checkpoint_io.save_checkpoint(checkpoint, ours_path), rounds)
    else:
        result = interleaved(lambda: torch.load(plain_path), lambda: checkpoint_io.load_checkpoint(ours_path), rounds)
    # always on the wall clock: the CPU clock does not see the disk
    result["file_mb"] = os.path.getsize(ours_path) / 2**20
    return result


def run_fabric(params: dict, rounds: int, root: str, clock: str) -> dict:
    from bench.fabric_overhead import _loader, fabric_run, plain_run
    from bench.timing import interleaved

    loader = _loader(params["steps"], params["batch_size"])
    hidden = params["hidden"]
    # both functions time their own loop (setup excluded) and return per-step (wall, cpu) seconds
    result = interleaved(lambda: plain_run(hidden, loader), lambda: fabric_run(hidden, loader), rounds, clock=clock,
                         sample=lambda fn: fn())
    return _per_step(result, 1)


def run_peak_rss(params: dict, rounds: int, root: str, clock: str) -> dict:
    """One fit (or raw loop) in this fresh process; the peak resident memory of the whole process."""
    from bench import workloads

    spec = _fit_spec(params["spec"])
    (workloads.raw_fit if params["side"] == "raw" else workloads.trainer_fit)(spec, root)
    return {"peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def run_profile(params: dict, rounds: int, root: str, clock: str) -> dict:
    """cProfile of one ``Trainer.fit`` (after an unprofiled warm-up); the report goes to ``params['out']``."""
    from bench import workloads

    spec = _fit_spec(params["spec"])
    workloads.trainer_fit(spec, tempfile.mkdtemp(dir=root))
    profiler = cProfile.Profile()
    profiler.runcall(workloads.trainer_fit, spec, tempfile.mkdtemp(dir=root))
    stats = pstats.Stats(profiler)
    total = stats.total_tt
    text = io.StringIO()
    report = pstats.Stats(profiler, stream=text).strip_dirs()
    text.write(f"{spec}\ntotal {total:.3f} s for {spec.epochs * spec.batches} steps\n")
    report.sort_stats("tottime").print_stats(40)
    report.sort_stats("cumulative").print_stats(60)
    with open(params["out"], "w") as f:
        f.write(text.getvalue())
    package_dir = os.path.dirname(os.path.dirname(workloads.pl.__file__))  # .../lightning or site-packages

    def rows(items, key):
        return [{"function": f"{os.path.relpath(file, package_dir) if file.startswith(package_dir) else file}:"
                             f"{line}({name})", "calls": calls, "tottime_share": tt / total, "cumtime_share": ct / total}
                for (file, line, name), (_, calls, tt, ct, _) in sorted(items, key=key, reverse=True)[:20]]

    own = [item for item in stats.stats.items() if item[0][0].startswith(package_dir)]
    steps = spec.epochs * spec.batches
    return {"total_s": total, "steps": steps, "report": params["out"], "package_dir": package_dir,
            "package_tottime_share": sum(tt for _, (_, _, tt, _, _) in own) / total,
            "package_us_per_step": sum(tt for _, (_, _, tt, _, _) in own) / steps * 1e6,
            "top_tottime": rows(stats.stats.items(), key=lambda item: item[1][2]),
            "package_top_tottime": rows(own, key=lambda item: item[1][2]),
            "package_top_cumtime": rows(own, key=lambda item: item[1][3])}


KINDS = {"fit": run_fit, "validate": run_validate, "checkpoint": run_checkpoint, "fabric": run_fabric, "peak_rss": run_peak_rss,
         "profile": run_profile}


def describe_package(package: str) -> dict:
    import importlib

    import torch

    module = importlib.import_module(package.split(".")[0])
    return {"package": package, "version": getattr(module, "__version__", "?"), "torch": torch.__version__,
            "python": sys.version.split()[0], "file": getattr(module, "__file__", None)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", required=True, help="lightning.pytorch or pytorch_lightning")
    parser.add_argument("--plan", required=True, help="JSON list of {id, kind, params, rounds}")
    parser.add_argument("--out", required=True)
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall")
    args = parser.parse_args()
    os.environ["BENCH_PACKAGE"] = args.package
    import torch

    torch.set_num_threads(1)
    with open(args.plan) as f:
        plan = json.load(f)
    results = {"implementation": describe_package(args.package), "results": {}}
    with tempfile.TemporaryDirectory(prefix="bench-") as root:
        for entry in plan:
            torch.manual_seed(0)
            print(f"[bench.worker] {entry['id']}", file=sys.stderr, flush=True)
            try:
                value = KINDS[entry["kind"]](entry["params"], entry.get("rounds", 1), root, args.clock)
            except Exception as exc:  # recorded, so that one broken scenario does not hide the others
                traceback.print_exc()
                value = {"error": f"{type(exc).__name__}: {exc}"}
            results["results"][entry["id"]] = value
            with open(args.out, "w") as f:  # written after each scenario: a timeout keeps what finished
                json.dump(results, f)


if __name__ == "__main__":
    main()
