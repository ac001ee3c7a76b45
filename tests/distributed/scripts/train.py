"""A small regression run used by tests/distributed: launched as a script (so that ``strategy="ddp"`` can re-run
it per process, and torchrun / two "nodes" can start it), it writes what each rank ended with to ``--out``.

Per rank it saves ``rank{global_rank}.pt``: final weights, callback metrics, the indices of every sample the rank
trained on, the ranks/world size the trainer reported and ``rank_zero_only.rank``.
"""
import argparse
import os
import sys

import torch
from torch.utils.data import DataLoader, Dataset

import lightning as L
from lightning.fabric.utilities.rank_zero import rank_zero_only


class IndexedData(Dataset):
    """y = x @ w_true + noise; each item also carries its index, so a test can see which rank got which sample."""

    def __init__(self, n: int = 32) -> None:
        generator = torch.Generator().manual_seed(1234)
        self.x = torch.randn(n, 4, generator=generator)
        self.y = self.x @ torch.tensor([[1.0], [-2.0], [0.5], [3.0]]) + 0.1 * torch.randn(n, 1, generator=generator)

    def __len__(self) -> int:
        return len(self.x)

    def __getitem__(self, i: int):
        return self.x[i], self.y[i], i


class Regression(L.LightningModule):
    def __init__(self, fail_rank: int = -1, fail_step: int = -1, early_stop_rank: int = -1) -> None:
        super().__init__()
        self.layer = torch.nn.Linear(4, 1)
        self.fail_rank, self.fail_step = fail_rank, fail_step
        self.early_stop_rank = early_stop_rank
        self.seen: list = []

    def training_step(self, batch, batch_idx):
        x, y, idx = batch
        if self.global_rank == self.fail_rank and self.global_step == self.fail_step:
            raise RuntimeError(f"deliberate failure on rank {self.global_rank} at step {self.global_step}")
        self.seen.extend(idx.tolist())
        loss = torch.nn.functional.mse_loss(self.layer(x), y)
        # a per-rank value whose global mean the test can compute: the rank number itself
        self.log("rank_value", torch.tensor(float(self.global_rank)), on_step=False, on_epoch=True, sync_dist=True)
        self.log("train_loss", loss, on_step=False, on_epoch=True, sync_dist=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y, _ = batch
        self.log("val_loss", torch.nn.functional.mse_loss(self.layer(x), y), sync_dist=True)

    def on_validation_epoch_end(self):
        if self.early_stop_rank >= 0:
            # deliberately NOT synced: only this rank's value gets worse, the others keep improving
            worse = self.global_rank == self.early_stop_rank
            self.log("stop_signal", float(self.current_epoch if worse else -self.current_epoch))

    def on_train_end(self):
        # collectives the test checks: a gather of each rank's id, rank 0's broadcast, any/all votes
        self.gathered = self.all_gather(torch.tensor([self.global_rank])).flatten().tolist()
        strategy = self.trainer.strategy
        self.broadcasted = strategy.broadcast(f"from rank {self.global_rank}")
        self.vote_all = strategy.reduce_boolean_decision(self.global_rank == 0, all=True)
        self.vote_any = strategy.reduce_boolean_decision(self.global_rank == 0, all=False)

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.05)


def make_trainer(args: argparse.Namespace) -> L.Trainer:
    from datetime import timedelta

    from lightning.pytorch.strategies import DDPStrategy

    strategy = args.strategy
    if strategy == "ddp":
        strategy = DDPStrategy(timeout=timedelta(seconds=args.timeout))
    extra: dict = {"logger": False, "enable_checkpointing": False}
    if args.early_stop_rank >= 0:
        from lightning.pytorch.callbacks import EarlyStopping

        extra["callbacks"] = [EarlyStopping(monitor="stop_signal", patience=0, mode="min")]
    if args.callbacks:
        from lightning.pytorch.callbacks import EarlyStopping, ModelCheckpoint
        from lightning.pytorch.loggers import CSVLogger

        extra = {"logger": CSVLogger(args.out, name="csv"), "callbacks": [
            ModelCheckpoint(dirpath=os.path.join(args.out, "ckpts"), monitor="val_loss", save_last=True),
            EarlyStopping(monitor="val_loss", patience=100),
        ]}
    return L.Trainer(
        accelerator="cpu", devices=args.devices, num_nodes=args.num_nodes, strategy=strategy, max_epochs=args.epochs,
        enable_progress_bar=False, enable_model_summary=False, num_sanity_val_steps=0, default_root_dir=args.out,
        **extra,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--strategy", default="ddp")
    parser.add_argument("--devices", type=int, default=2)
    parser.add_argument("--num-nodes", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=4)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--fail-rank", type=int, default=-1)
    parser.add_argument("--fail-step", type=int, default=-1)
    parser.add_argument("--resume", default=None, help="checkpoint to resume from")
    parser.add_argument("--save", default=None, help="write a checkpoint here after fit")
    parser.add_argument("--timeout", type=float, default=60.0, help="collective timeout in seconds")
    parser.add_argument("--callbacks", action="store_true", help="ModelCheckpoint + EarlyStopping + CSVLogger")
    parser.add_argument("--early-stop-rank", type=int, default=-1,
                        help="EarlyStopping on a metric that only this rank wants to stop on")
    args = parser.parse_args()

    L.seed_everything(7, verbose=False)
    model = Regression(args.fail_rank, args.fail_step, args.early_stop_rank)
    data = IndexedData()
    train = DataLoader(data, batch_size=args.batch_size)
    val = DataLoader(data, batch_size=args.batch_size)
    trainer = make_trainer(args)
    trainer.fit(model, train, val, ckpt_path=args.resume)
    fit_metrics = {k: float(v) for k, v in trainer.callback_metrics.items()}
    if args.save:
        trainer.save_checkpoint(args.save)
    validated = trainer.validate(model, val, verbose=False) if args.callbacks else None  # a second entry point
    torch.save({
        "gathered": model.gathered, "broadcasted": model.broadcasted, "vote_all": model.vote_all,
        "vote_any": model.vote_any, "validated": validated,
        "state_dict": {k: v.detach().clone() for k, v in model.state_dict().items()},
        "metrics": fit_metrics,
        "seen": model.seen,
        "global_rank": trainer.global_rank, "local_rank": trainer.local_rank, "node_rank": trainer.node_rank,
        "world_size": trainer.world_size, "is_global_zero": trainer.is_global_zero,
        "rank_zero_only_rank": rank_zero_only.rank, "global_step": trainer.global_step,
        "strategy": type(trainer.strategy).__name__,
        "environment": type(getattr(trainer.strategy, "cluster_environment", None)).__name__,
    }, os.path.join(args.out, f"rank{trainer.global_rank}.pt"))


if __name__ == "__main__":
    main()
    sys.exit(0)
