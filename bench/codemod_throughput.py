"""lit-migrate throughput on a generated tree, against bare libcst parse + codegen of the same files.

Prints lines/s for: bare libcst (parse_module + .code) and lit-migrate (`migrate_text`, all rules), on 1 core
(CPU time) and on all cores (wall time; lit-migrate through the command line's isolated workers), the
lit-migrate/libcst ratio per core (the target is >= 0.6), and the rate on a mixed tree where most files never
mention Lightning (those are skipped without a parse).

Run: .venv/bin/python bench/codemod_throughput.py [--files 2000] [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

import libcst as cst

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "migrate"))
from lit_migrate.engine import Options  # noqa: E402
from lit_migrate.files import migrate_text, process_file  # noqa: E402
from lit_migrate.workers import run_isolated  # noqa: E402

LEGACY_TEMPLATE = '''"""Generated legacy module {i}."""
import torch
from torch import nn
from torch.nn import functional as F
import pytorch_lightning as pl
from pytorch_lightning.callbacks import ModelCheckpoint
from pytorch_lightning.core.lightning import LightningModule


class Model{i}(LightningModule):
    def __init__(self, hidden={h}):
        super().__init__()
        self.layer = nn.Sequential(nn.Linear(4, hidden), nn.ReLU(), nn.Linear(hidden, 1))

    def forward(self, x):
        return self.layer(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("train_loss", loss, sync_dist_op="mean")
        return loss

    def training_epoch_end(self, outputs):
        self.log("avg", torch.stack([o["loss"] for o in outputs]).mean())

    def validation_step(self, batch, batch_idx):
        x, y = batch
        return F.mse_loss(self(x), y)

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr={lr})

{helpers}

def main(args):
    model = Model{i}()
    trainer = pl.Trainer(gpus={gpus}, max_epochs={epochs}, checkpoint_callback=False, precision=16,
                         callbacks=[ModelCheckpoint(monitor="val_loss", period=1)])
    trainer.fit(model, train_dataloader=None)
'''

PLAIN_TEMPLATE = '''"""Generated plain module {i}."""
import math


class Thing{i}:
    def __init__(self, value={h}):
        self.value = value

{helpers}

def main():
    return sum(helper_{i}_0(k) for k in range({h}))
'''

HELPER = '''
def helper_{i}_{k}(value):
    """Helper {k}."""
    total = 0
    for step in range(value):
        if step % 3 == 0:
            total += step * {k}
        else:
            total -= math.sqrt(step) if step else 0
    return total
'''


def generate(root: Path, files: int, legacy_share: float, seed: int = 0) -> list[Path]:
    rng = random.Random(seed)
    paths = []
    for i in range(files):
        helpers = "".join(HELPER.format(i=i, k=k) for k in range(rng.randint(2, 8)))
        legacy = rng.random() < legacy_share
        template = LEGACY_TEMPLATE if legacy else PLAIN_TEMPLATE
        text = template.format(i=i, h=rng.randint(4, 64), lr=rng.choice([0.1, 0.01]), gpus=rng.choice([0, 1, 2]),
                               epochs=rng.randint(1, 9), helpers=helpers)
        if legacy:
            text = text.replace("import torch\n", "import math\nimport torch\n", 1)
        path = root / f"pkg{i % 20}" / f"mod_{i}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        paths.append(path)
    return paths


def bare_libcst(path: str) -> int:
    text = Path(path).read_text()
    cst.parse_module(text).code
    return text.count("\n")


def lit_migrate(path: str) -> int:
    text = Path(path).read_text()
    result = migrate_text(text, path, Options())
    if result.error:
        raise RuntimeError(f"{path}: {result.error}")
    return text.count("\n")


def rate(fn, paths: list[Path], jobs: int) -> float:
    """Lines per second: CPU time of this process for 1 job (steady on a shared machine), wall time else."""
    items = [str(p) for p in paths]
    if jobs == 1:
        start = time.process_time()
        lines = sum(map(fn, items))
        return lines / (time.process_time() - start)
    if fn is lit_migrate:  # on several cores, as the command line runs it: isolated workers, one file at a time
        lines = sum(Path(p).read_text().count("\n") for p in items)
        job = partial(process_file, options=Options(), write=False, want_diff=False)
        start = time.perf_counter()
        errors = [r.error for _, r in run_isolated(items, job, jobs, timeout=None) if r.error]
        if errors:
            raise RuntimeError(errors[0])
        return lines / (time.perf_counter() - start)
    start = time.perf_counter()
    with ProcessPoolExecutor(jobs) as pool:
        lines = sum(pool.map(fn, items, chunksize=max(1, len(items) // (jobs * 8))))
    return lines / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        legacy = generate(Path(tmp) / "legacy", args.files, legacy_share=1.0)
        mixed = generate(Path(tmp) / "mixed", args.files, legacy_share=0.2, seed=1)
        lines = sum(p.read_text().count("\n") for p in legacy)
        print(f"tree: {args.files} files, {lines} lines, every file legacy Lightning code")
        for jobs in sorted({1, args.jobs}):
            base = rate(bare_libcst, legacy, jobs)
            ours = rate(lit_migrate, legacy, jobs)
            print(f"  {jobs} core(s): libcst parse+codegen {base:,.0f} lines/s | lit-migrate {ours:,.0f} lines/s "
                  f"| ratio {ours / base:.2f} (target >= 0.60)")
        base = rate(bare_libcst, mixed, args.jobs)
        ours = rate(lit_migrate, mixed, args.jobs)
        print(f"mixed tree (20% Lightning files), {args.jobs} core(s): libcst {base:,.0f} lines/s | lit-migrate "
              f"{ours:,.0f} lines/s | ratio {ours / base:.2f} (files without 'lightning' are not parsed)")


if __name__ == "__main__":
    main()
