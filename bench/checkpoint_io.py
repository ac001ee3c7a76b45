"""Checkpoint save/load time against plain ``torch.save`` / ``torch.load`` of the same checkpoint dict.

    .venv/bin/python bench/checkpoint_io.py [--sizes-mb 1 500] [--repeat 5] [--dir /tmp] [--fsync]

Ours = ``TorchCheckpointIO`` (temporary file moved into place; ``weights_only`` load with the legacy allowlist).
Both sides write the same dict to the same kind of destination, in the two patterns a ModelCheckpoint run has:

- ``save over``: the same name every time (``last.ckpt``, a fixed ``filename``); plain ``torch.save`` truncates and
  rewrites the file, ours moves a new file over it;
- ``save new``: a new name every time with the previous file removed (the default ``epoch=E-step=S.ckpt`` with
  ``save_top_k=1``); plain = ``torch.save`` + ``os.remove``, ours = ``save_checkpoint`` + ``remove_checkpoint``.

Neither side flushes to disk, unless ``--fsync``: then plain ``torch.save`` is followed by an ``fsync`` of the file
and ours runs with ``LIGHTNING_CHECKPOINT_FSYNC=1``. Prints the median time of each and the ratio ours / plain
(target <= 1.1). A benchmark, not a test: numbers depend on the disk, the page cache and the machine's load.
"""
import argparse
import itertools
import os
import statistics
import tempfile
import time

import torch


def make_checkpoint(size_mb: float) -> dict:
    """A checkpoint-shaped dict: weights, two Adam moments per weight, counters, hparams."""
    n = max(1, int(size_mb * 2**20 / 4 / 3 / 8))  # 8 tensors, each with 2 optimizer moments
    weights = {f"layer{i}.weight": torch.randn(n) for i in range(8)}
    moments = {i: {"step": torch.tensor(10.0), "exp_avg": torch.randn(n), "exp_avg_sq": torch.rand(n)}
               for i in range(8)}
    return {
        "epoch": 3, "global_step": 1000, "pytorch-lightning_version": "2.6.6", "state_dict": weights,
        "optimizer_states": [{"state": moments, "param_groups": [{"lr": 0.1, "params": list(range(8))}]}],
        "lr_schedulers": [], "hyper_parameters": {"lr": 0.1, "hidden": 128}, "hparams_name": "kwargs",
        "loops": {}, "callbacks": {},
    }


def timed_pair(plain, ours, repeat: int) -> tuple:
    """Median seconds of each, run alternately so that disk write-back and cache state hit both alike."""
    times: tuple = ([], [])
    for i in range(repeat):
        order = ((0, plain), (1, ours)) if i % 2 == 0 else ((1, ours), (0, plain))
        for slot, fn in order:
            start = time.perf_counter()
            fn()
            times[slot].append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


def save_pair(checkpoint: dict, folder: str, pattern: str = "over", fsync: bool = False) -> tuple:
    """``(plain, ours)``: two functions that each save ``checkpoint`` once into ``folder`` in the given pattern
    (``"over"`` or ``"new"``, see the module docstring). Ours follows ``LIGHTNING_CHECKPOINT_FSYNC`` as read at
    import; pass ``fsync`` equal to it so that both sides flush alike."""
    from lightning.pytorch.plugins.io import TorchCheckpointIO
    from lightning.pytorch.utilities.checkpoint_io import _fsync_file  # the same flush ours does

    io = TorchCheckpointIO()

    def plain_save(path: str) -> None:
        torch.save(checkpoint, path)
        if fsync:
            _fsync_file(path)

    if pattern == "over":
        return (lambda: plain_save(os.path.join(folder, "plain.ckpt")),
                lambda: io.save_checkpoint(checkpoint, os.path.join(folder, "ours.ckpt")))
    if pattern != "new":
        raise ValueError(f"pattern must be 'over' or 'new', got {pattern!r}")
    counter = itertools.count()

    def rotating(save, remove, prefix: str):
        previous = []

        def step() -> None:
            path = os.path.join(folder, f"{prefix}-epoch={next(counter)}.ckpt")
            save(path)
            if previous:
                remove(previous.pop())
            previous.append(path)
        return step

    return (rotating(plain_save, os.remove, "plain"),
            rotating(lambda path: io.save_checkpoint(checkpoint, path), io.remove_checkpoint, "ours"))


def bench(size_mb: float, repeat: int, folder: str, fsync: bool) -> None:
    from lightning.pytorch.plugins.io import TorchCheckpointIO

    checkpoint = make_checkpoint(size_mb)
    io = TorchCheckpointIO()
    plain_path, ours_path = os.path.join(folder, "plain.ckpt"), os.path.join(folder, "ours.ckpt")
    torch.save(checkpoint, plain_path)
    io.save_checkpoint(checkpoint, ours_path)
    rows = [("save over", *save_pair(checkpoint, folder, "over", fsync)),
            ("save new ", *save_pair(checkpoint, folder, "new", fsync)),
            ("load     ", lambda: torch.load(plain_path), lambda: io.load_checkpoint(ours_path))]
    actual_mb = os.path.getsize(ours_path) / 2**20
    for name, plain, ours in rows:
        plain(), ours()  # warm-up: the first save of a name differs
        t_plain, t_ours = timed_pair(plain, ours, repeat)
        print(f"{actual_mb:8.1f} MB  {name}  plain {t_plain * 1e3:9.2f} ms   ours {t_ours * 1e3:9.2f} ms   "
              f"ratio {t_ours / t_plain:5.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes-mb", type=float, nargs="+", default=[1.0, 500.0])
    parser.add_argument("--repeat", type=int, default=None, help="runs per measurement (default: 15 below 50 MB, "
                        "else 3); the median is reported")
    parser.add_argument("--dir", default=None, help="where to write (default: a temporary folder)")
    parser.add_argument("--fsync", action="store_true", help="flush every save to disk, on both sides")
    args = parser.parse_args()
    if args.fsync:
        os.environ["LIGHTNING_CHECKPOINT_FSYNC"] = "1"  # read when lightning is imported, in bench()
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        for size in args.sizes_mb:
            bench(size, args.repeat or (15 if size < 50 else 5), folder, args.fsync)


if __name__ == "__main__":
    main()
