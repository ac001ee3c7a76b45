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


def _steps_pair(raw, ours, spec, steps: int, rounds: int, root: str) -> dict:
    from bench.timing import interleaved

    result = interleaved(lambda: raw(spec, tempfile.mkdtemp(dir=root)), lambda: ours(spec, tempfile.mkdtemp(dir=root)),
                         rounds)
    result.update(steps=steps, raw_us_per_step=result["raw_s"] / steps * 1e6,
                  ours_us_per_step=result["ours_s"] / steps * 1e6,
                  overhead_us_per_step=(result["ours_s"] - result["raw_s"]) / steps * 1e6)
    return result


def run_fit(params: dict, rounds: int, root: str) -> dict:
    from bench import workloads

    spec = _fit_spec(params)
    return _steps_pair(workloads.raw_fit, workloads.trainer_fit, spec, spec.epochs * spec.batches, rounds, root)


def run_validate(params: dict, rounds: int, root: str) -> dict:
    from bench import workloads

    spec = _fit_spec(params)
    return _steps_pair(workloads.raw_validate, workloads.trainer_validate, spec, spec.val_batches, rounds, root)


def run_checkpoint(params: dict, rounds: int, root: str) -> dict:
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
    result["file_mb"] = os.path.getsize(ours_path) / 2**20
    return result


def run_fabric(params: dict, rounds: int, root: str) -> dict:
    from bench.fabric_overhead import _loader, fabric_run, plain_run
    from bench.timing import interleaved

    loader = _loader(params["steps"], params["batch_size"])
    hidden = params["hidden"]
    per_step = {"raw": [], "ours": []}

    def timed(side, fn):
        return lambda: per_step[side].append(fn())

    result = interleaved(timed("raw", lambda: plain_run(hidden, loader)),
                         timed("ours", lambda: fabric_run(hidden, loader, "32-true")), rounds)
    result.update(raw_us_per_step=result["raw_s"] / params["steps"] * 1e6,
                  ours_us_per_step=result["ours_s"] / params["steps"] * 1e6, steps=params["steps"])
    return result


def run_peak_rss(params: dict, rounds: int, root: str) -> dict:
    """One fit (or raw loop) in this fresh process; the peak resident memory of the whole process."""
    from bench import workloads

    spec = _fit_spec(params["spec"])
    (workloads.raw_fit if params["side"] == "raw" else workloads.trainer_fit)(spec, root)
    return {"peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def run_profile(params: dict, rounds: int, root: str) -> dict:
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
    top = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)[:15]
    return {"total_s": total, "report": params["out"],
            "top_tottime": [{"function": f"{os.path.basename(file)}:{line}({name})", "share": tt / total}
                            for (file, line, name), (_, _, tt, _, _) in top]}


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
                value = KINDS[entry["kind"]](entry["params"], entry.get("rounds", 1), root)
            except Exception as exc:  # recorded, so that one broken scenario does not hide the others
                traceback.print_exc()
                value = {"error": f"{type(exc).__name__}: {exc}"}
            results["results"][entry["id"]] = value
            with open(args.out, "w") as f:  # written after each scenario: a timeout keeps what finished
                json.dump(results, f)


if __name__ == "__main__":
    main()
