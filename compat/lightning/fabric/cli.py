"""``fabric run``: start a Fabric script in as many processes as it asks for, through ``torchrun``.

    fabric run [--accelerator A] [--strategy S] [--devices D] [--num-nodes N] [--node-rank R]
               [--main-address HOST] [--main-port PORT] [--precision P] script.py [script args ...]

The choices reach the script's ``Fabric(...)`` through ``LT_*`` environment variables (see
:mod:`lightning.fabric.connector`); the processes are created by PyTorch's own ``torch.distributed.run``, so the
script must not call ``fabric.launch()``.
"""
import argparse
import os
import re
import sys
from typing import Optional

from lightning.fabric.strategies.registry import STRATEGY_REGISTRY  # public here in 2.6.6

_SUPPORTED_ACCELERATORS = ("cpu", "gpu", "cuda", "mps", "auto")
_PRECISIONS = ("64-true", "32-true", "16-mixed", "bf16-mixed", "16-true", "bf16-true", "transformer-engine",
               "transformer-engine-float16", "64", "32", "16", "bf16")
# strategies that create processes themselves (spawn/fork) or need more setup than a flag cannot run under torchrun
_NOT_LAUNCHABLE = re.compile(r".*(spawn|fork|notebook|xla|tpu|offload).*")


def _supported_strategies() -> list:
    from lightning.fabric.strategies import STRATEGY_REGISTRY

    return [name for name in STRATEGY_REGISTRY.available_strategies() if not _NOT_LAUNCHABLE.match(name)]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fabric", description="Lightning Fabric command line tool.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    run = commands.add_parser(
        "run", help="Run a Fabric script in one or more processes.",
        description="Run a Lightning Fabric script. SCRIPT is the Python file to run (it creates a `Fabric` object); "
                    "SCRIPT_ARGS are passed on to it.",
    )
    run.add_argument("--accelerator", choices=_SUPPORTED_ACCELERATORS, default=None,
                     help="The hardware accelerator to run on.")
    run.add_argument("--strategy", default=None, help="How to run across devices (e.g. ddp, fsdp).")
    run.add_argument("--devices", default="1",
                     help="How many devices per node (int), which ones ('0,1'), or 'auto'.")
    run.add_argument("--num-nodes", "--num_nodes", dest="num_nodes", type=int, default=1,
                     help="How many machines (nodes) take part.")
    run.add_argument("--node-rank", "--node_rank", dest="node_rank", type=int, default=0,
                     help="The index of this machine, 0 .. num_nodes - 1.")
    run.add_argument("--main-address", "--main_address", dest="main_address", default="127.0.0.1",
                     help="Host name or IP of the machine with node rank 0.")
    run.add_argument("--main-port", "--main_port", dest="main_port", type=int, default=29400,
                     help="The port the processes meet on.")
    run.add_argument("--precision", choices=_PRECISIONS, default=None,
                     help="64-true, 32-true, 16-mixed, bf16-mixed, 16-true or bf16-true.")
    run.add_argument("script", help="The Python script to run.")
    run.add_argument("script_args", nargs=argparse.REMAINDER, help="Arguments for the script.")
    return parser


def _validate(args: argparse.Namespace, parser: Optional[argparse.ArgumentParser] = None) -> None:
    def fail(message: str) -> None:
        if parser is not None:
            parser.error(message)
        raise ValueError(message)

    if not os.path.isfile(args.script):
        fail(f"the script {args.script!r} does not exist.")
    if args.strategy is not None:
        supported = _supported_strategies()
        if args.strategy not in supported:
            fail(f"--strategy {args.strategy!r} cannot be launched by `fabric run`; choose one of {supported}.")
    if args.num_nodes < 1 or not 0 <= args.node_rank < args.num_nodes:
        fail(f"--node-rank must be in 0 .. {args.num_nodes - 1} (got {args.node_rank}) and --num-nodes >= 1.")


def _set_env_variables(args: argparse.Namespace) -> None:
    """Pass the choices to the script's ``Fabric(...)``."""
    os.environ["LT_CLI_USED"] = "1"
    if args.accelerator is not None:
        os.environ["LT_ACCELERATOR"] = str(args.accelerator)
    if args.strategy is not None:
        os.environ["LT_STRATEGY"] = str(args.strategy)
    os.environ["LT_DEVICES"] = str(args.devices)
    os.environ["LT_NUM_NODES"] = str(args.num_nodes)
    if args.precision is not None:
        os.environ["LT_PRECISION"] = str(args.precision)


def _get_num_processes(accelerator: Optional[str], devices: str) -> int:
    """How many processes ``devices`` means on this machine for ``accelerator``."""
    from lightning.fabric.accelerators import ACCELERATOR_REGISTRY

    if accelerator in (None, "auto", "gpu"):
        available = [name for name in ("cuda", "mps") if ACCELERATOR_REGISTRY[name].is_available()]
        accelerator = available[0] if available else ("cuda" if accelerator == "gpu" else "cpu")
    if devices == "auto":
        return 1
    parsed = ACCELERATOR_REGISTRY[accelerator].parse_devices(devices)
    if isinstance(parsed, int):
        return parsed
    return len(parsed) if parsed is not None else 0


def _torchrun_launch(args: argparse.Namespace, script_args: list) -> None:
    import torch.distributed.run as torchrun

    num_processes = 1 if args.strategy == "dp" else _get_num_processes(args.accelerator, args.devices)
    if num_processes < 1:
        raise ValueError(f"--devices {args.devices!r} selects no device; give a positive number of devices.")
    os.environ.setdefault("OMP_NUM_THREADS", str(max(1, (os.cpu_count() or 1) // num_processes)))
    torchrun.main([
        f"--nproc_per_node={num_processes}",
        f"--nnodes={args.num_nodes}",
        f"--node_rank={args.node_rank}",
        f"--master_addr={args.main_address}",
        f"--master_port={args.main_port}",
        args.script,
        *script_args,
    ])


def main(args: Optional[argparse.Namespace] = None, script_args: Optional[list] = None) -> None:
    """Entry point of the ``fabric`` command; ``main(namespace, script_args)`` runs a parsed ``run`` command."""
    parser = None
    if args is None:
        parser = _parser()
        args = parser.parse_args(sys.argv[1:])
        script_args = list(args.script_args)
    _validate(args, parser)
    _set_env_variables(args)
    _torchrun_launch(args, list(script_args or []))


if __name__ == "__main__":
    main()
