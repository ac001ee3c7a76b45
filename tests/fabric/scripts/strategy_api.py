"""Fabric's strategy API driven directly (no Fabric object) on one CPU process; prints one JSON document.

Run under the real lightning 2.6.6 and under ours by tests/fabric/test_strategy_api.py: ``python strategy_api.py DIR``.
"""
import json
import sys
from pathlib import Path

import torch
from torch import nn

from lightning.fabric.accelerators import CPUAccelerator
from lightning.fabric.plugins.environments import LightningEnvironment
from lightning.fabric.plugins.precision import DoublePrecision, Precision
from lightning.fabric.strategies import DDPStrategy, SingleDeviceStrategy

out = Path(sys.argv[1])
report: dict = {}


def rounded(tensor):
    return [round(float(v), 6) for v in tensor.detach().flatten()]


torch.manual_seed(0)
strategy = SingleDeviceStrategy(device="cpu", accelerator=CPUAccelerator(), precision=Precision())
layer = nn.Linear(3, 2)
module = strategy.setup_module(layer)
optimizer = torch.optim.SGD(module.parameters(), lr=0.5)
report["setup_returns_same_objects"] = [module is layer, strategy.setup_optimizer(optimizer) is optimizer]
strategy.module_to_device(module)
with strategy.module_init_context():
    built = nn.Linear(2, 2)
with strategy.tensor_init_context():
    made = torch.zeros(1)
report["init_contexts"] = [str(built.weight.device), str(built.weight.dtype), str(made.device)]

x = torch.arange(6.0).reshape(2, 3)
loss = module(x).pow(2).sum()
report["backward_returns"] = repr(strategy.backward(loss, module))
report["grad"] = rounded(layer.weight.grad)
report["norm"] = round(float(strategy.clip_gradients_norm(module, optimizer, max_norm=1.0)), 5)
report["clipped_grad"] = rounded(layer.weight.grad)
strategy.clip_gradients_value(module, optimizer, clip_val=0.1)
report["value_clipped_grad"] = rounded(layer.weight.grad)
strategy.optimizer_step(optimizer)
report["stepped_weight"] = rounded(layer.weight)

report["collectives"] = [
    rounded(strategy.all_reduce(torch.tensor([1.0, 2.0]))), rounded(strategy.all_gather(torch.tensor([3.0]))),
    strategy.broadcast({"a": 1}), strategy.reduce_boolean_decision(False), strategy.barrier(),
]
report["ranks"] = [strategy.global_rank, strategy.local_rank, strategy.world_size,
                   strategy.is_global_zero, str(strategy.root_device)]
report["batch_to_device"] = str(strategy.batch_to_device({"x": torch.ones(1)})["x"].device)
report["module_state_keys"] = sorted(strategy.get_module_state_dict(module))
report["optimizer_state_keys"] = sorted(strategy.get_optimizer_state(optimizer))

path = out / "state.ckpt"
strategy.save_checkpoint(path, {"model": module, "optimizer": optimizer, "step": 3},
                         filter={"model": lambda name, value: name.endswith("weight")})
raw = torch.load(path, weights_only=True)
report["saved_keys"] = sorted(raw)
report["saved_model_keys"] = sorted(raw["model"])
report["saved_weight"] = rounded(raw["model"]["weight"])

fresh = nn.Linear(3, 2)
fresh_optimizer = torch.optim.SGD(fresh.parameters(), lr=0.1)
state = {"model": fresh, "optimizer": fresh_optimizer, "step": 0}
remainder = strategy.load_checkpoint(path, state, strict=False)
report["load_remainder"] = remainder
report["load_plain_value"] = state["step"]
report["loaded_weight"] = rounded(fresh.weight)
report["loaded_lr"] = fresh_optimizer.param_groups[0]["lr"]
report["load_everything"] = sorted(strategy.load_checkpoint(path))
try:
    strategy.load_checkpoint(path, {"model": fresh, "missing": 1}, strict=True)
    report["strict_missing"] = None
except Exception as err:  # noqa: BLE001 - the type is what is compared
    report["strict_missing"] = type(err).__name__
torch.save(layer.state_dict(), out / "raw.pt")
other = nn.Linear(3, 2)
report["load_module_alone"] = strategy.load_checkpoint(out / "raw.pt", other)
report["module_alone_weight"] = rounded(other.weight)

double = SingleDeviceStrategy(device="cpu", accelerator=CPUAccelerator(), precision=DoublePrecision())
with double.module_init_context():
    report["double_init_dtype"] = str(nn.Linear(1, 1).weight.dtype)

ddp = DDPStrategy(accelerator=CPUAccelerator(), parallel_devices=[torch.device("cpu")] * 2,
                  cluster_environment=LightningEnvironment())
report["ddp"] = [ddp.num_processes, ddp.num_nodes, ddp.distributed_sampler_kwargs, str(ddp.root_device),
                 ddp.global_rank, ddp.is_global_zero, ddp._get_process_group_backend(), ddp.process_group_backend]
print(json.dumps(report, sort_keys=True))
