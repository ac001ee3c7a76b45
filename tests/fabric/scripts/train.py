"""A Fabric training script run in separate processes by the tests:
``python train.py OUT MODE [FABRIC_KWARGS_JSON [BATCH_SIZE]]``.

MODE "launch" calls ``fabric.launch()`` (the script is re-run per process by the DDP launcher); MODE "cli" is for
``fabric run`` (no launch, the arguments come from the command line). Each rank writes ``OUT/rank<k>.pt`` with its
final weights (unsharded strategies), what the collectives returned and the indices of the samples it saw; the
model and optimizer also go to ``OUT/fabric.ckpt`` through ``fabric.save`` (consolidated for FSDP).
"""
import json
import os
import sys

import torch
from torch.utils.data import DataLoader, TensorDataset

import lightning as L

out, mode = sys.argv[1], sys.argv[2]
kwargs = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
batch_size = int(sys.argv[4]) if len(sys.argv) > 4 else 4

fabric = L.Fabric(**kwargs)
if mode == "launch":
    fabric.launch()
fabric.seed_everything(7)

g = torch.Generator().manual_seed(0)
data = TensorDataset(torch.arange(32), torch.randn(32, 4, generator=g), torch.randn(32, 1, generator=g))
model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
model, optimizer = fabric.setup(model, optimizer)
loader = fabric.setup_dataloaders(DataLoader(data, batch_size=batch_size))

seen, norms = [], []
for epoch in range(2):
    for index, x, y in loader:
        seen.extend(index.tolist())
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        fabric.backward(loss)
        norms.append(float(fabric.clip_gradients(model, optimizer, max_norm=0.3)))
        optimizer.step()

sharded = type(fabric.strategy).__name__ == "FSDPStrategy"
result = {
    "weights": None if sharded else {k: v.detach().clone() for k, v in model.state_dict().items()},
    "rank": fabric.global_rank, "local_rank": fabric.local_rank, "world_size": fabric.world_size,
    "strategy": type(fabric.strategy).__name__,
    "sum": fabric.all_reduce(torch.tensor(float(fabric.global_rank + 1)), reduce_op="sum").item(),
    "mean": fabric.all_reduce(torch.tensor(float(fabric.global_rank + 1))).item(),
    "gathered": fabric.all_gather(torch.tensor([fabric.global_rank])).tolist(),
    "broadcast": fabric.broadcast(f"from-{fabric.global_rank}"),
    "loader_len": len(loader),
    "seen": seen,
    "norms": norms,
}
if not sharded:
    # gradient accumulation: under no_backward_sync each rank keeps its own gradient, the next backward syncs the sum
    x_local = torch.full((2, 4), float(fabric.global_rank + 1))
    optimizer.zero_grad()
    with fabric.no_backward_sync(model):
        fabric.backward(model(x_local).sum())
    local = torch.cat([p.grad.flatten() for p in model.parameters()])
    fabric.backward(model(x_local).sum())
    synced = torch.cat([p.grad.flatten() for p in model.parameters()])
    result["local_grads"] = fabric.all_gather(local)
    result["synced_grads"] = fabric.all_gather(synced)
    optimizer.zero_grad()

fabric.save(os.path.join(out, "fabric.ckpt"), {"model": model, "optimizer": optimizer, "epoch": 2})
torch.save(result, os.path.join(out, f"rank{fabric.global_rank}.pt"))
fabric.barrier()
