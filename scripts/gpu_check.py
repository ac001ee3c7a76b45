"""GPU acceptance check for lightning-compat (issue 7): mixed precision on CUDA and DDP/FSDP over NCCL.

Run on a machine with a GPU, from the repository root:

    python scripts/gpu_check.py                 # all checks, summary table, exit 1 if any check failed
    python scripts/gpu_check.py --json out.json # also write the results as JSON

Each check runs in its own subprocess under a timeout, so a hang or a crash is reported instead of blocking:
  amp16     precision="16-mixed": the forward runs in float16 under autocast, a GradScaler scales the loss, loss falls
  bf16      precision="bf16-mixed": the forward runs in bfloat16, no scaler, loss falls
  ddp_nccl  strategy="ddp" on min(2, #GPUs) GPUs, one per process, NCCL backend, 16-mixed, sync_batchnorm;
            all ranks end equal
  fsdp_nccl FSDPStrategy on min(2, #GPUs) GPUs, NCCL, bf16-mixed; the full checkpoint loads on the CPU
Without CUDA every check is reported as SKIP (exit 0). ``--device cpu`` runs the same checks on the CPU (bf16 autocast,
gloo) to test this script itself on a machine without a GPU.
"""
import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

CHECKS = ("amp16", "bf16", "ddp_nccl", "fsdp_nccl")
CHECK_TIMEOUT_S = 150
_RESULT_TAG = "GPU_CHECK_RESULT "


# ---------------------------------------------------------------- the checks (run in a child process)
def _model_and_data(dtype_log: list):
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    import lightning as L

    class Net(L.LightningModule):
        def __init__(self) -> None:
            super().__init__()
            self.net = torch.nn.Sequential(torch.nn.Linear(32, 64), torch.nn.BatchNorm1d(64), torch.nn.ReLU(),
                                           torch.nn.Linear(64, 1))
            self.losses: list = []
            self.norm_types: set = set()

        def training_step(self, batch, batch_idx):
            x, y = batch
            out = self.net(x)
            dtype_log.append(str(out.dtype))
            self.norm_types.add(type(self.net[1]).__name__)
            loss = torch.nn.functional.mse_loss(out.float(), y)
            self.losses.append(float(loss.detach()))
            self.log("loss", loss, sync_dist=True)
            return loss

        def on_train_end(self):
            flat = torch.cat([p.detach().float().reshape(-1) for p in self.parameters()])
            self.rank_sums = self.all_gather(flat.sum().reshape(1)).reshape(-1).tolist()

        def configure_optimizers(self):
            return torch.optim.SGD(self.parameters(), lr=0.05)

    generator = torch.Generator().manual_seed(0)
    x = torch.randn(256, 32, generator=generator)
    y = x[:, :1] * 2.0 - x[:, 1:2]
    return Net(), DataLoader(TensorDataset(x, y), batch_size=16)


def _fit(check: str, device: str) -> dict:
    import torch

    import lightning as L

    gpu = device == "cuda"
    devices = min(2, torch.cuda.device_count()) if gpu else 2
    precision = {"amp16": "16-mixed", "bf16": "bf16-mixed", "ddp_nccl": "16-mixed", "fsdp_nccl": "bf16-mixed"}[check]
    if not gpu and precision == "16-mixed":
        precision = "bf16-mixed"  # no float16 autocast on the CPU
    strategy: object = "auto"
    if check in ("amp16", "bf16"):
        devices = 1
    elif check == "ddp_nccl":
        from datetime import timedelta

        from lightning.pytorch.strategies import DDPStrategy

        strategy = DDPStrategy(timeout=timedelta(seconds=60))
    else:
        from datetime import timedelta

        from lightning.pytorch.strategies import FSDPStrategy

        strategy = FSDPStrategy(timeout=timedelta(seconds=60))
    dtypes: list = []
    L.seed_everything(0, verbose=False)
    model, loader = _model_and_data(dtypes)
    sync_batchnorm = gpu and check == "ddp_nccl"  # SyncBatchNorm exists for GPUs only
    trainer = L.Trainer(accelerator=device, devices=devices, strategy=strategy, precision=precision, max_epochs=3,
                        logger=False, enable_checkpointing=False, enable_progress_bar=False,
                        enable_model_summary=False, sync_batchnorm=sync_batchnorm)
    start = time.perf_counter()
    trainer.fit(model, loader)
    if device == "cuda":
        torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    result = {
        "check": check, "device": device, "precision": trainer.precision, "world_size": trainer.world_size,
        "global_rank": trainer.global_rank, "steps": trainer.global_step, "fit_s": round(seconds, 2),
        "forward_dtypes": sorted(set(dtypes)),
        "first_loss": sum(model.losses[:4]) / 4, "last_loss": sum(model.losses[-4:]) / 4,  # batch norm: noisy steps
        "scaler": type(getattr(trainer.precision_plugin, "scaler", None)).__name__,
        "rank_sums": getattr(model, "rank_sums", None), "sync_batchnorm": sync_batchnorm,
        "norm_types": sorted(model.norm_types),
    }
    if torch.distributed.is_available() and torch.distributed.is_initialized():
        result["backend"] = torch.distributed.get_backend()
    if gpu:
        result["gpu"] = torch.cuda.get_device_name(trainer.strategy.root_device)
        result["max_memory_mb"] = round(torch.cuda.max_memory_allocated() / 2**20, 1)
    if check == "fsdp_nccl":
        path = Path(os.environ.get("GPU_CHECK_TMP") or ".") / "gpu_check_fsdp_full.ckpt"
        trainer.save_checkpoint(path)
        if trainer.is_global_zero:
            state = torch.load(path, map_location="cpu", weights_only=True)["state_dict"]
            result["checkpoint_shapes"] = {k: list(v.shape) for k, v in state.items()}
            path.unlink()
    result["problems"] = _problems(result, gpu)
    return result


def _problems(result: dict, gpu: bool) -> list:
    """What is wrong with a check's result (empty when it passed)."""
    import math

    problems = []
    expected = {"16-mixed": "torch.float16", "bf16-mixed": "torch.bfloat16"}.get(result["precision"])
    if expected and result["forward_dtypes"] != [expected]:
        problems.append(f"forward ran in {result['forward_dtypes']}, expected {expected}")
    if result["precision"] == "16-mixed" and result["scaler"] != "GradScaler":
        problems.append(f"16-mixed without a GradScaler (got {result['scaler']})")
    if not (math.isfinite(result["last_loss"]) and result["last_loss"] < result["first_loss"]):
        problems.append(f"loss did not fall: {result['first_loss']:.4f} -> {result['last_loss']:.4f}")
    if result["check"] in ("ddp_nccl", "fsdp_nccl"):
        if result.get("backend") != ("nccl" if gpu else "gloo"):
            problems.append(f"process group backend {result.get('backend')!r}")
        sums = result.get("rank_sums") or []
        if len(sums) != result["world_size"] or (result["check"] == "ddp_nccl" and len(set(sums)) != 1):
            problems.append(f"ranks disagree on the weights: {sums}")
    if result.get("sync_batchnorm") and result.get("norm_types") != ["SyncBatchNorm"]:
        problems.append(f"sync_batchnorm=True but the batch norm ran as {result.get('norm_types')}")
    if result["check"] == "fsdp_nccl" and result.get("global_rank") == 0:
        if result.get("checkpoint_shapes", {}).get("net.0.weight") != [64, 32]:
            problems.append(f"full checkpoint not consolidated: {result.get('checkpoint_shapes')}")
    return problems


def _run_one(check: str, device: str) -> None:
    result = _fit(check, device)
    if result["global_rank"] == 0:
        print(_RESULT_TAG + json.dumps(result), flush=True)


# ---------------------------------------------------------------- the driver
def _launch(check: str, device: str, timeout: float) -> dict:
    import tempfile

    env = dict(os.environ, PYTHONUNBUFFERED="1", GPU_CHECK_TMP=tempfile.mkdtemp(prefix="gpu_check_"))
    for key in ("LOCAL_RANK", "RANK", "WORLD_SIZE", "NODE_RANK", "MASTER_PORT"):
        env.pop(key, None)
    start = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, os.path.abspath(__file__), "--child", check, "--device", device],
                              env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as err:
        tail = (err.stderr or b"")[-1500:]
        tail = tail.decode(errors="replace") if isinstance(tail, bytes) else tail
        return {"check": check, "status": "FAIL", "problems": [f"timed out after {timeout:.0f} s"], "log": tail}
    elapsed = round(time.perf_counter() - start, 1)
    lines = [line for line in proc.stdout.splitlines() if line.startswith(_RESULT_TAG)]
    if proc.returncode != 0 or not lines:
        return {"check": check, "status": "FAIL", "wall_s": elapsed,
                "problems": [f"exit code {proc.returncode}"], "log": (proc.stdout + proc.stderr)[-3000:]}
    result = json.loads(lines[-1][len(_RESULT_TAG):])
    result.update(status="PASS" if not result["problems"] else "FAIL", wall_s=elapsed)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checks", default=",".join(CHECKS), help=f"comma-separated subset of {CHECKS}")
    parser.add_argument("--device", default="cuda", choices=("cuda", "cpu"))
    parser.add_argument("--json", default=None, help="also write the results to this file")
    parser.add_argument("--timeout", type=float, default=CHECK_TIMEOUT_S, help="seconds per check")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _run_one(args.child, args.device)
        return 0
    checks = [c for c in args.checks.split(",") if c]
    unknown = sorted(set(checks) - set(CHECKS))
    if unknown:
        parser.error(f"unknown checks {unknown}; choose from {CHECKS}")

    import torch

    header = f"torch {torch.__version__}, CUDA available: {torch.cuda.is_available()}"
    if torch.cuda.is_available():
        header += f", {torch.cuda.device_count()} x {torch.cuda.get_device_name(0)}, CUDA {torch.version.cuda}"
    print(header, flush=True)
    results = []
    for check in checks:
        if args.device == "cuda" and not torch.cuda.is_available():
            results.append({"check": check, "status": "SKIP", "problems": ["no CUDA device"]})
            continue
        if check == "bf16" and args.device == "cuda" and not torch.cuda.is_bf16_supported():
            results.append({"check": check, "status": "SKIP", "problems": ["GPU without bfloat16"]})
            continue
        results.append(_launch(check, args.device, args.timeout))
        print(f"  {check}: {results[-1]['status']}", flush=True)

    print(f"\n{'check':<10} {'status':<6} {'world':>5} {'steps':>5} {'fit s':>6} {'wall s':>6}  details")
    for r in results:
        details = "; ".join(r.get("problems", [])) or (
            f"{r.get('precision')} fwd={','.join(r.get('forward_dtypes', []))} backend={r.get('backend', '-')} "
            f"loss {r.get('first_loss', 0):.3f}->{r.get('last_loss', 0):.3f}"
            + (f" mem={r['max_memory_mb']}MB" if "max_memory_mb" in r else ""))
        print(f"{r['check']:<10} {r['status']:<6} {r.get('world_size', '-'):>5} {r.get('steps', '-'):>5} "
              f"{r.get('fit_s', '-'):>6} {r.get('wall_s', '-'):>6}  {details}")
        if r["status"] == "FAIL" and r.get("log"):
            print("    " + r["log"][-1500:].replace("\n", "\n    "))
    if args.json:
        Path(args.json).write_text(json.dumps({"header": header, "results": results}, indent=1) + "\n")
    return 1 if any(r["status"] == "FAIL" for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
