"""Thin helpers over ``torch.distributed``: opening/closing the process group, reductions and gathers that are
no-ops on one process, and samplers that shard a dataset (or any sampler) across ranks."""
import atexit
import contextlib
import errno
import logging
import os
import signal
import socket
import time
from datetime import timedelta
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional, Sized, Union

import torch
import torch.nn.functional as F
from torch import Tensor
from torch.utils.data import Dataset, DistributedSampler, Sampler

from lightning.fabric.utilities.rank_zero import rank_zero_info

if torch.distributed.is_available():
    from torch.distributed import ReduceOp, group
else:  # builds without distributed support (some macOS wheels)

    class ReduceOp:  # type: ignore[no-redef]
        SUM = None

    class group:  # type: ignore[no-redef]
        WORLD = None


log = logging.getLogger(__name__)


def _distributed_is_initialized() -> bool:
    return torch.distributed.is_available() and torch.distributed.is_initialized()


# ---------------------------------------------------------------- process group
def _init_dist_connection(cluster_environment: Any, torch_distributed_backend: str, global_rank: Optional[int] = None,
                          world_size: Optional[int] = None, **kwargs: Any) -> None:
    """Join the default process group at ``cluster_environment``'s main address/port (no-op if already joined).

    ``kwargs`` go to ``torch.distributed.init_process_group`` (e.g. ``timeout``). A main port that another program
    already uses becomes an error that names the port and how to pick another one.
    """
    if not torch.distributed.is_available():
        raise RuntimeError("torch.distributed is not available in this PyTorch build: distributed training is "
                           "impossible with it.")
    if torch.distributed.is_initialized():
        log.debug("torch.distributed is already initialized; keeping the existing process group.")
        return
    global_rank = global_rank if global_rank is not None else cluster_environment.global_rank()
    world_size = world_size if world_size is not None else cluster_environment.world_size()
    address, port = cluster_environment.main_address, cluster_environment.main_port
    os.environ["MASTER_ADDR"] = address
    os.environ["MASTER_PORT"] = str(port)
    log.info(f"Initializing distributed: GLOBAL_RANK: {global_rank}, MEMBER: {global_rank + 1}/{world_size}")
    try:
        torch.distributed.init_process_group(torch_distributed_backend, rank=global_rank, world_size=world_size,
                                             **kwargs)
    except Exception as err:  # torch raises DistNetworkError / RuntimeError with the errno buried in the text
        if global_rank == 0 and _is_address_in_use(err):
            raise RuntimeError(_port_in_use_message(address, port)) from err
        raise
    if torch_distributed_backend == "nccl":
        atexit.register(_destroy_dist_connection)  # recent torch warns about NCCL groups left open at exit
    rank_zero_info(
        f"{'-' * 100}\ndistributed_backend={torch_distributed_backend}\n"
        f"All distributed processes registered. Starting with {world_size} processes\n{'-' * 100}\n"
    )


def _is_address_in_use(err: BaseException) -> bool:
    text = str(err).lower()
    return "address already in use" in text or f"errno: {errno.EADDRINUSE}" in text


def _port_in_use_message(address: str, port: int) -> str:
    return (
        f"The main process could not listen on MASTER_ADDR={address} MASTER_PORT={port}: the port is already in use "
        "(another training run, or a process that has not exited yet?). Unset MASTER_PORT to let Lightning pick a "
        "free port, or set it to a free one, e.g. `MASTER_PORT=29501`."
    )


def _check_port_free(address: str, port: int) -> None:
    """Raise the port-in-use error before any process is launched when ``port`` cannot be bound here."""
    if address not in ("127.0.0.1", "localhost", "0.0.0.0", socket.gethostname()):
        return  # the main node is another machine: nothing to check locally
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # ignore TIME_WAIT leftovers, like TCPStore does
        try:
            sock.bind(("", port))
        except OSError as err:
            if err.errno == errno.EADDRINUSE:
                raise RuntimeError(_port_in_use_message(address, port)) from None
            raise


def _destroy_dist_connection() -> None:
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl+C here would leave the group half-closed
    try:
        if _distributed_is_initialized():
            torch.distributed.destroy_process_group()
    finally:
        signal.signal(signal.SIGINT, previous)


def _get_default_process_group_backend_for_device(device: torch.device) -> str:
    """``nccl`` for CUDA, ``gloo`` for CPU (torch's own device -> backend map)."""
    backend_map = torch.distributed.Backend.default_device_backend_map
    return backend_map.get(device.type, "gloo")


# ---------------------------------------------------------------- collectives
def _sync_ddp_if_available(result: Tensor, group: Optional[Any] = None,
                           reduce_op: Optional[Union[Any, str]] = None) -> Tensor:
    """Reduce ``result`` across processes when a process group exists; otherwise return it unchanged."""
    if _distributed_is_initialized():
        return _sync_ddp(result, group=group, reduce_op=reduce_op)
    return result


def _sync_ddp(result: Tensor, group: Optional[Any] = None, reduce_op: Optional[Union[Any, str]] = None) -> Tensor:
    """All-reduce ``result`` in place. ``reduce_op`` is a ``ReduceOp`` or a name ('sum', 'mean'/'avg', 'max',
    'min', ...); the default is a sum. gloo has no AVG, so a mean there is a sum divided by the world size."""
    group = torch.distributed.group.WORLD if group is None else group
    divide = False
    op: Any = reduce_op if reduce_op is not None else ReduceOp.SUM
    if isinstance(reduce_op, str):
        name = "avg" if reduce_op.lower() == "mean" else reduce_op.lower()
        if name == "avg" and torch.distributed.get_backend(group) == "gloo":
            op, divide = ReduceOp.SUM, True
        else:
            try:
                op = getattr(ReduceOp, name.upper())
            except AttributeError:
                raise ValueError(
                    f"Unknown reduce_op {reduce_op!r}: use 'sum', 'mean', 'max', 'min', 'product' or a ReduceOp."
                ) from None
    torch.distributed.barrier(group=group)
    torch.distributed.all_reduce(result, op=op, group=group, async_op=False)
    if not divide:
        return result
    world_size = torch.distributed.get_world_size(group)
    if not torch.is_floating_point(result):
        return result.copy_(result / world_size)
    return result.div_(world_size)


def _all_gather_ddp_if_available(tensor: Tensor, group: Optional[Any] = None, sync_grads: bool = False) -> Tensor:
    """Gather ``tensor`` from every process into a new leading dimension of size world_size (unchanged on one
    process). With ``sync_grads`` the gather is differentiable."""
    if not _distributed_is_initialized():
        return tensor
    group = group if group is not None else torch.distributed.group.WORLD
    tensor = tensor.contiguous()  # non-contiguous inputs gather garbage on some backends
    if not sync_grads:
        gathered = [torch.empty_like(tensor) for _ in range(torch.distributed.get_world_size(group))]
        torch.distributed.all_gather(gathered, tensor.detach(), group=group)
        return torch.stack(gathered)
    import warnings

    from torch.distributed.nn.functional import all_gather

    with warnings.catch_warnings():  # the autograd-aware gather is deprecated in recent torch, with no equivalent yet
        warnings.simplefilter("ignore", FutureWarning)
        return torch.stack(all_gather(tensor, group))


def _gather_all_tensors(result: Tensor, group: Optional[Any] = None) -> list:
    """Gather tensors of equal rank but possibly different shapes from all processes (padded, gathered, trimmed)."""
    group = torch.distributed.group.WORLD if group is None else group
    result = result.contiguous()
    world_size = torch.distributed.get_world_size(group)
    torch.distributed.barrier(group=group)
    if result.ndim == 0:
        return _simple_gather_all_tensors(result, group, world_size)
    local_size = torch.tensor(result.shape, device=result.device)
    sizes = [torch.zeros_like(local_size) for _ in range(world_size)]
    torch.distributed.all_gather(sizes, local_size, group=group)
    max_size = torch.stack(sizes).max(dim=0).values
    if all(bool((size == max_size).all()) for size in sizes):
        return _simple_gather_all_tensors(result, group, world_size)
    padding: list = []
    for missing in reversed((max_size - local_size).tolist()):
        padding.extend((0, missing))
    padded = F.pad(result, padding)
    gathered = [torch.zeros_like(padded) for _ in range(world_size)]
    torch.distributed.all_gather(gathered, padded, group=group)
    return [tensor[tuple(slice(int(n)) for n in size)] for tensor, size in zip(gathered, sizes)]


def _simple_gather_all_tensors(result: Tensor, group: Any, world_size: int) -> list:
    gathered = [torch.zeros_like(result) for _ in range(world_size)]
    torch.distributed.all_gather(gathered, result, group)
    return gathered


class _InfiniteBarrier:
    """A barrier without timeout (its own gloo group), for waits that can outlast the collective timeout, e.g.
    rank zero writing a large checkpoint while the others wait."""

    def __init__(self) -> None:
        self.group: Any = None
        self.barrier: Any = lambda: None

    def __call__(self) -> None:
        self.barrier()

    def __enter__(self) -> "_InfiniteBarrier":
        if _distributed_is_initialized():
            self.group = torch.distributed.new_group(backend="gloo", timeout=timedelta(days=10000))
            self.barrier = self.group.monitored_barrier
        return self

    def __exit__(self, *exc: Any) -> None:
        self.barrier()
        if self.group is not None:
            torch.distributed.destroy_process_group(self.group)


def is_shared_filesystem(strategy: Any, path: Optional[Union[str, Path]] = None, timeout: int = 3) -> bool:
    """Whether all processes see the same files under ``path`` (default: the working directory).

    Rank zero creates a marker file and the others look for it for up to ``timeout`` seconds. Needs an initialized
    process group when the world size is above one.
    """
    if path is not None and "://" in str(path) and not str(path).startswith("file://"):
        return True  # remote storage (s3://, gs://...) is the same for everybody
    path = Path(Path.cwd() if path is None else path).resolve()
    if getattr(strategy, "world_size", 1) == 1:
        return True
    if not strategy.reduce_boolean_decision(strategy.broadcast(path) == path, all=True):
        return False
    if not strategy.reduce_boolean_decision(path.exists(), all=True):
        raise FileNotFoundError(
            f"Cannot tell whether {path} is on a shared filesystem: it does not exist on every node."
        )
    folder = path.parent if path.is_file() else path
    marker = folder / ".lightning_shared_fs_check"
    marker.unlink(missing_ok=True)
    strategy.barrier()
    if strategy.is_global_zero:
        marker.touch()
        found = True
    else:
        deadline = time.perf_counter() + timeout
        found = marker.exists()
        while not found and time.perf_counter() < deadline:
            time.sleep(0.01)
            found = marker.exists()
    strategy.barrier()
    shared = strategy.reduce_boolean_decision(found, all=True)
    with contextlib.suppress(OSError):
        marker.unlink()
    return shared


# ---------------------------------------------------------------- threads
def _num_cpus_available() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _suggested_max_num_threads(num_processes: int = 1) -> int:
    if num_processes < 1:
        raise ValueError(f"`num_processes` must be >= 1, got {num_processes}.")
    return max(1, _num_cpus_available() // num_processes)


def _set_num_threads_if_needed(num_processes: int = 1) -> None:
    """Share the CPUs among the processes of this node (unless the user chose ``OMP_NUM_THREADS``)."""
    if "OMP_NUM_THREADS" not in os.environ:
        threads = _suggested_max_num_threads(num_processes)
        torch.set_num_threads(threads)
        os.environ["OMP_NUM_THREADS"] = str(threads)


# ---------------------------------------------------------------- samplers
class _DatasetSamplerWrapper(Dataset):
    """The indices a sampler yields, as a dataset, so that ``DistributedSampler`` can shard them."""

    def __init__(self, sampler: Union[Sampler, Iterable]) -> None:
        if not isinstance(sampler, Sized) or len(sampler) == float("inf"):
            raise TypeError(
                f"The DataLoader's sampler ({type(sampler).__name__}) has no finite `__len__`, so it cannot be split "
                "across processes with a `DistributedSamplerWrapper`. Give the sampler a `__len__`, remove it from the "
                "DataLoader, or pass `Trainer(use_distributed_sampler=False)` and shard the data yourself."
            )
        self._sampler = sampler
        self._sampler_list: Optional[list] = None  # materialized lazily: iterating a sampler may be expensive

    def __getitem__(self, index: int) -> Any:
        if self._sampler_list is None:
            self._sampler_list = list(self._sampler)
        return self._sampler_list[index]

    def __len__(self) -> int:
        return len(self._sampler)

    def reset(self) -> None:
        self._sampler_list = list(self._sampler)


class DistributedSamplerWrapper(DistributedSampler):
    """Shards the indices of any sampler across processes. Randomness stays with the wrapped sampler: this
    wrapper's ``shuffle`` and ``seed`` only decide how the drawn indices are split."""

    def __init__(self, sampler: Union[Sampler, Iterable], *args: Any, **kwargs: Any) -> None:
        super().__init__(_DatasetSamplerWrapper(sampler), *args, **kwargs)

    def __iter__(self) -> Iterator:
        self.dataset.reset()  # draw a fresh set of indices from the wrapped sampler each epoch
        return (self.dataset[index] for index in super().__iter__())

    def set_epoch(self, epoch: int) -> None:
        super().set_epoch(epoch)
        inner = self.dataset._sampler
        if callable(getattr(inner, "set_epoch", None)):
            inner.set_epoch(epoch)


class _UnrepeatedDistributedSampler(DistributedSampler):
    """Like ``DistributedSampler`` but without padding: each sample goes to exactly one rank, so the ranks may get
    different numbers of samples (used for prediction, where duplicated samples would be wrong)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not isinstance(self.dataset, Sized):
            raise TypeError("The given dataset must implement `__len__` to be split without repeats.")
        self.num_samples = len(range(self.rank, len(self.dataset), self.num_replicas))
        self.total_size = len(self.dataset)

    def __iter__(self) -> Iterator[int]:
        if self.shuffle:
            generator = torch.Generator()
            generator.manual_seed(self.epoch)  # as 2.6.6: the epoch alone (`seed` is not used here)
            indices = torch.randperm(len(self.dataset), generator=generator).tolist()
        else:
            indices = list(range(len(self.dataset)))
        return iter(indices[self.rank:self.total_size:self.num_replicas])


class _UnrepeatedDistributedSamplerWrapper(_UnrepeatedDistributedSampler):
    """``_UnrepeatedDistributedSampler`` over the indices of any sampler."""

    def __init__(self, sampler: Union[Sampler, Iterable], *args: Any, **kwargs: Any) -> None:
        super().__init__(_DatasetSamplerWrapper(sampler), *args, **kwargs)

    def __iter__(self) -> Iterator:
        self.dataset.reset()
        return (self.dataset[index] for index in super().__iter__())
