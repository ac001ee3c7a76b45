"""Time per training step of a Fabric loop against the same plain PyTorch loop.

    .venv/bin/python bench/fabric_overhead.py [--steps 200] [--repeat 7] [--hidden 256] [--batch-size 64]
                                              [--precision 32-true|bf16-mixed] [--threads 1]

Both loops iterate a ``DataLoader`` over the same tensors and run forward, backward, ``step`` and ``zero_grad`` on
the same MLP; the Fabric loop goes through ``fabric.setup`` / ``setup_dataloaders`` / ``fabric.backward``. Runs
alternate (plain, Fabric, plain, ...) so that a busy machine slows both alike. Each run is timed twice: wall clock,
and this process's CPU time, which is what to compare on a shared machine (there the wall clock mostly measures
waiting for a core). Prints the median step time of each loop and the ratio Fabric / plain (target <= 1.05).
A benchmark, not a test.
"""
import argparse
import statistics
import time

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

import lightning as L


def _model(hidden: int) -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, 10))


def _loader(steps: int, batch_size: int) -> DataLoader:
    g = torch.Generator().manual_seed(0)
    n = steps * batch_size
    return DataLoader(TensorDataset(torch.randn(n, 64, generator=g), torch.randint(0, 10, (n,), generator=g)),
                      batch_size=batch_size)


def _per_step(start: tuple, steps: int) -> tuple:
    return (time.perf_counter() - start[0]) / steps, (time.process_time() - start[1]) / steps


def plain_run(hidden: int, loader: DataLoader, precision: str = "32-true") -> tuple:
    """(wall seconds, CPU seconds) per step of the plain loop (with ``torch.autocast`` for bf16-mixed)."""
    model = _model(hidden)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    autocast = precision == "bf16-mixed"
    start = time.perf_counter(), time.process_time()
    for x, y in loader:
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=autocast):
            logits = model(x)
        loss = nn.functional.cross_entropy(logits.float(), y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    return _per_step(start, len(loader))


def fabric_run(hidden: int, loader: DataLoader, precision: str = "32-true") -> tuple:
    """(wall seconds, CPU seconds) per step of the Fabric loop."""
    fabric = L.Fabric(accelerator="cpu", devices=1, precision=precision)
    model = _model(hidden)
    model, optimizer = fabric.setup(model, torch.optim.SGD(model.parameters(), lr=0.01))
    data = fabric.setup_dataloaders(loader)
    start = time.perf_counter(), time.process_time()
    for x, y in data:
        loss = nn.functional.cross_entropy(model(x), y)
        fabric.backward(loss)
        optimizer.step()
        optimizer.zero_grad()
    return _per_step(start, len(loader))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--precision", default="32-true", choices=("32-true", "bf16-mixed"))
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    loader = _loader(args.steps, args.batch_size)
    plain_run(args.hidden, loader, args.precision)  # warm-up: allocator, autograd, first-call imports
    fabric_run(args.hidden, loader, args.precision)
    plain, fabric = [], []
    for i in range(args.repeat):  # alternate which loop goes first, so neither always runs on a warmer machine
        order = ((plain, lambda: plain_run(args.hidden, loader, args.precision)),
                 (fabric, lambda: fabric_run(args.hidden, loader, args.precision)))
        for times, run in order if i % 2 == 0 else reversed(order):
            times.append(run())
    print(f"steps={args.steps} repeat={args.repeat} hidden={args.hidden} batch={args.batch_size} "
          f"precision={args.precision} threads={args.threads}")
    for column, label in ((0, "wall"), (1, "cpu ")):
        plain_us = statistics.median(t[column] for t in plain) * 1e6
        fabric_us = statistics.median(t[column] for t in fabric) * 1e6
        print(f"{label}: plain {plain_us:8.1f} us/step, Fabric {fabric_us:8.1f} us/step (medians), "
              f"ratio Fabric / plain {fabric_us / plain_us:.3f}x (target <= 1.05x)")


if __name__ == "__main__":
    main()
