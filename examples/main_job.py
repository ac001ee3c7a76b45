"""The main job (`make demo`): the whole lightning-compat story on built-in synthetic data, no downloads.

1. The primer's model trains with `import lightning as L` (fit with validation, then test).
2. Its checkpoint loads the same through `lightning`, `pytorch_lightning` and plain `torch.load`.
3. A 1.x training script (examples/legacy_train.py: `gpus=0`, `training_epoch_end(outputs)` ...) runs unchanged
   under the `pytorch_lightning` shim.
4. `lit-migrate` rewrites a copy of it into Lightning 2.x code, and the rewritten script trains to the same result.

Usage: python examples/main_job.py [OUTPUT_DIR]   (default: ./demo_output)
"""
import json
import os
import shutil
import subprocess
import sys
import warnings

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

import lightning as L

HERE = os.path.dirname(os.path.abspath(__file__))


# ---------------------------------------------------------------- 1. the primer's model
class LitAutoEncoder(L.LightningModule):
    def __init__(self, Net):
        super().__init__()
        self.Net = Net

    def forward(self, x):
        return self.Net(x)

    def criterion(self, x, y):
        return F.cross_entropy(x, y)

    def training_step(self, batch):
        x, y = batch
        loss = self.criterion(self.forward(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def validation_step(self, batch):
        x, y = batch
        self.log("val_loss", self.criterion(self.Net(x), y), prog_bar=True)

    def test_step(self, batch):
        x, y = batch
        self.log("test_loss", self.criterion(self.Net(x), y))
        self.log("test_acc", (self.Net(x).argmax(1) == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=1e-3)


def make_net() -> nn.Module:
    return nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 8))


def synthetic(n: int, seed: int) -> TensorDataset:
    """Points whose class is the index of their largest of the first 8 features."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 32, generator=g)
    return TensorDataset(x, x[:, :8].argmax(1))


def step(title: str) -> None:
    print(f"\n=== {title}", flush=True)


def train_primer_model(out: str) -> tuple:
    step("1. The primer's model trains with `import lightning as L`")
    L.seed_everything(0)
    train_loader = DataLoader(synthetic(2048, 1), batch_size=64, shuffle=True)
    valid_loader = DataLoader(synthetic(512, 2), batch_size=256)
    test_loader = DataLoader(synthetic(512, 3), batch_size=256)
    autoencoder = LitAutoEncoder(make_net())
    trainer = L.Trainer(max_epochs=5, default_root_dir=out, log_every_n_steps=8)
    trainer.fit(model=autoencoder, train_dataloaders=train_loader, val_dataloaders=valid_loader)
    results = trainer.test(autoencoder, dataloaders=test_loader)
    best = trainer.checkpoint_callback.best_model_path
    print(f"checkpoint: {best}")
    print(f"TensorBoard logs: tensorboard --logdir={os.path.join(out, 'lightning_logs')}")
    return autoencoder, best, valid_loader, results[0]


def load_through_every_door(autoencoder: LitAutoEncoder, best: str, valid_loader: DataLoader) -> None:
    step("2. The checkpoint loads the same through lightning, pytorch_lightning and torch.load")
    import pytorch_lightning as pl

    assert pl.LightningModule is L.LightningModule and pl.Trainer is L.Trainer
    via_lightning = LitAutoEncoder.load_from_checkpoint(best, Net=make_net())
    plain = torch.load(best)  # weights_only=True: no pickled classes inside
    quiet = dict(logger=False, enable_progress_bar=False, enable_model_summary=False)
    val_l = L.Trainer(**quiet).validate(via_lightning, valid_loader, verbose=False)[0]["val_loss"]
    val_pl = pl.Trainer(**quiet).validate(LitAutoEncoder(make_net()), valid_loader, ckpt_path=best,
                                          verbose=False)[0]["val_loss"]
    for name, tensor in via_lightning.state_dict().items():
        assert torch.equal(tensor, plain["state_dict"][name]), name
        assert torch.equal(tensor, autoencoder.state_dict()[name]), name
    assert val_l == val_pl
    print(f"torch.load keys: {sorted(plain)}")
    print(f"val_loss via lightning: {val_l:.6f}   via pytorch_lightning (ckpt_path=): {val_pl:.6f}")


def run_script(path: str, out_dir: str) -> dict:
    proc = subprocess.run([sys.executable, path, out_dir], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{path} failed:\n{proc.stderr[-3000:]}")
    deprecations = sorted({line.split("Warning: ", 1)[1][:110] for line in proc.stderr.splitlines()
                           if "DeprecationWarning: " in line or "LegacyUsageWarning: " in line})
    for line in deprecations:
        print(f"  warned: {line}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def legacy_then_migrated(out: str) -> None:
    step("3. A pytorch_lightning 1.x script runs unchanged under the shim")
    legacy = run_script(os.path.join(HERE, "legacy_train.py"), os.path.join(out, "legacy_run"))
    print(f"legacy result: {legacy}")

    step("4. lit-migrate rewrites it into Lightning 2.x code; the rewritten script trains the same")
    migrated_dir = os.path.join(out, "migrated")
    shutil.rmtree(migrated_dir, ignore_errors=True)
    os.makedirs(migrated_dir)
    target = os.path.join(migrated_dir, "legacy_train.py")
    shutil.copy(os.path.join(HERE, "legacy_train.py"), target)
    report = os.path.join(out, "lit-migrate-report.json")
    proc = subprocess.run([sys.executable, "-m", "lit_migrate", target, "--report", report], capture_output=True,
                          text=True, check=False)
    print(proc.stdout.strip() or proc.stderr.strip())
    diff = subprocess.run([sys.executable, "-m", "lit_migrate", "--diff", os.path.join(HERE, "legacy_train.py")],
                          capture_output=True, text=True, check=False).stdout
    print("\n".join(line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---"))[:4000])
    migrated = run_script(target, os.path.join(out, "migrated_run"))
    print(f"migrated result: {migrated}")
    same = migrated["global_step"] == legacy["global_step"] and migrated["val_loss"] == legacy["val_loss"]
    print("same global_step and val_loss before and after migration:", same)
    if not same:
        raise SystemExit("the migrated script did not reproduce the legacy result")


def main() -> None:
    out = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "demo_output")
    shutil.rmtree(out, ignore_errors=True)
    warnings.filterwarnings("ignore", category=UserWarning)
    autoencoder, best, valid_loader, results = train_primer_model(out)
    print(f"test results: {results}")
    load_through_every_door(autoencoder, best, valid_loader)
    legacy_then_migrated(out)
    print(f"\nAll steps passed. Outputs are under {out}")


if __name__ == "__main__":
    main()
