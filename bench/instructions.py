"""Instructions per training step, the Trainer against the raw loop: the steady figure where wall-clock ratios on a
shared machine move by +-10% from run to run.

    .venv/bin/python -m bench.instructions [--features minimal|defaults] [--net mlp|cnn] [--batches 25 125]

Needs ``valgrind`` (with ``valgrind/callgrind.h``) and a C compiler; takes a few minutes. One interpreter runs under
callgrind with instrumentation off, except around four fits (raw loop and ``Trainer.fit``, each at two lengths),
switched on and off from Python through a three-line C helper built on the fly. The difference between the two
lengths is the cost per step; what is left is the fixed cost of a fit (construction, setup, teardown).
A benchmark, not a test: it prints and writes nothing else.
"""
import argparse
import ctypes
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EPOCHS = 2

_HELPER = r"""
#include <valgrind/callgrind.h>
void start(void) { CALLGRIND_ZERO_STATS; CALLGRIND_START_INSTRUMENTATION; }
void stop(const char *name) { CALLGRIND_STOP_INSTRUMENTATION; CALLGRIND_DUMP_STATS_AT(name); }
"""


def _inner(helper: str, features: str, net: str, lengths: list) -> None:
    """Run under callgrind: a warm-up of both, then raw and Trainer fits at each length, each between start/stop."""
    import torch

    torch.set_num_threads(1)
    from bench.workloads import FitSpec, raw_fit, trainer_fit

    switch = ctypes.CDLL(helper)
    root = tempfile.mkdtemp()
    spec = lambda batches: FitSpec(net=net, batches=batches, epochs=EPOCHS, features=features,  # noqa: E731
                                   log_keys=1 if features == "defaults" else 0)
    raw_fit(spec(lengths[0]), root)
    trainer_fit(spec(lengths[0]), root)
    for batches in lengths:
        for name, fit in (("raw", raw_fit), ("ours", trainer_fit)):
            switch.start()
            fit(spec(batches), root)
            switch.stop(f"{name}-{batches}".encode())


def _totals(prefix: str) -> dict:
    """{dump trigger name: instructions} of every callgrind dump written under ``prefix``."""
    out = {}
    for dump in Path(prefix).parent.glob(Path(prefix).name + ".*"):
        lines = dump.read_text().splitlines()
        name = next(line.split("Client Request: ", 1)[1] for line in lines if line.startswith("desc: Trigger:"))
        out[name] = int(next(line.split()[1] for line in lines if line.startswith("totals:")))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", default="minimal", choices=("minimal", "defaults"))
    parser.add_argument("--net", default="mlp", choices=("mlp", "cnn"))
    parser.add_argument("--batches", type=int, nargs=2, default=(25, 125), help="the two epoch lengths compared")
    parser.add_argument("--inner", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        _inner(args.inner, args.features, args.net, list(args.batches))
        return
    missing = [tool for tool in ("valgrind", "cc") if shutil.which(tool) is None]
    if missing:
        sys.exit(f"bench.instructions needs {' and '.join(missing)} on PATH (and valgrind's headers).")
    with tempfile.TemporaryDirectory() as tmp:
        source, helper = Path(tmp, "switch.c"), Path(tmp, "switch.so")
        source.write_text(_HELPER)
        subprocess.run(["cc", "-shared", "-fPIC", "-O1", "-o", str(helper), str(source)], check=True)
        prefix = str(Path(tmp, "callgrind.out"))
        env = dict(os.environ, PYTHONHASHSEED="0", OMP_NUM_THREADS="1", PYTHONPATH=str(REPO))
        subprocess.run(["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={prefix}",
                        sys.executable, "-m", "bench.instructions", "--inner", str(helper), "--features",
                        args.features, "--net", args.net, "--batches", *map(str, args.batches)],
                       cwd=REPO, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        totals = _totals(prefix)
    short, long = args.batches
    steps = EPOCHS * (long - short)
    for name in ("raw", "ours"):
        per_step = (totals[f"{name}-{long}"] - totals[f"{name}-{short}"]) / steps
        fixed = totals[f"{name}-{short}"] - per_step * EPOCHS * short
        print(f"{name:>4}: {per_step / 1e3:8.1f} k instructions per step, {fixed / 1e6:6.1f} M per fit (fixed)")
    raw = (totals[f"raw-{long}"] - totals[f"raw-{short}"]) / steps
    ours = (totals[f"ours-{long}"] - totals[f"ours-{short}"]) / steps
    print(f"{args.net} {args.features}: Trainer over the raw loop {(ours - raw) / 1e3:+.1f} k instructions per step "
          f"(x{ours / raw:.3f})")


if __name__ == "__main__":
    main()
