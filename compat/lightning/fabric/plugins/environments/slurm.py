"""``SLURMEnvironment``: processes started by ``srun`` (``SLURM_PROCID``, ``SLURM_LOCALID``, ``SLURM_NODEID``,
``SLURM_NTASKS``, ``SLURM_NODELIST``, ``SLURM_JOB_ID``), with auto-requeue settings for preempted jobs."""
import logging
import os
import re
import shutil
import signal
import sys
from typing import Optional

from lightning.fabric.plugins.environments.cluster_environment import ClusterEnvironment
from lightning.fabric.utilities.rank_zero import rank_zero_warn
from lightning.fabric.utilities.warnings import PossibleUserWarning

log = logging.getLogger(__name__)


class SLURMEnvironment(ClusterEnvironment):
    """Ranks come from SLURM; the main node is the first host of ``SLURM_NODELIST`` and the port derives from the
    job id, so every task computes the same rendezvous point without talking to the others.

    Args:
        auto_requeue: requeue the job when it receives ``requeue_signal`` (a checkpoint is saved first).
        requeue_signal: the signal that asks for a requeue (default ``SIGUSR1``).
    """

    def __init__(self, auto_requeue: bool = True, requeue_signal: Optional[signal.Signals] = None) -> None:
        super().__init__()
        self.auto_requeue = auto_requeue
        if requeue_signal is None and hasattr(signal, "SIGUSR1"):
            requeue_signal = signal.SIGUSR1
        self.requeue_signal = requeue_signal
        self._validate_srun_used()
        self._validate_srun_variables()

    @property
    def creates_processes_externally(self) -> bool:
        return True

    @property
    def main_address(self) -> str:
        address = os.environ.get("MASTER_ADDR")
        if address is None:
            address = self.resolve_root_node_address(os.environ.get("SLURM_NODELIST", "127.0.0.1"))
            os.environ["MASTER_ADDR"] = address
        return address

    @property
    def main_port(self) -> int:
        if "MASTER_PORT" in os.environ:
            return int(os.environ["MASTER_PORT"])
        job_id = os.environ.get("SLURM_JOB_ID")
        # every task of the job derives the same port from the job id (last four digits, shifted above 15000)
        port = int(job_id[-4:]) + 15000 if job_id is not None else 12910
        os.environ["MASTER_PORT"] = str(port)
        return port

    @staticmethod
    def detect() -> bool:
        SLURMEnvironment._validate_srun_used()
        return _is_srun_used()

    @staticmethod
    def job_name() -> Optional[str]:
        return os.environ.get("SLURM_JOB_NAME")

    @staticmethod
    def job_id() -> Optional[int]:
        if _is_slurm_interactive_mode():
            return None
        try:
            return int(os.environ["SLURM_JOB_ID"])
        except (KeyError, ValueError):
            return None

    def world_size(self) -> int:
        return int(os.environ["SLURM_NTASKS"])

    def set_world_size(self, size: int) -> None:
        log.debug("SLURM fixes the world size; ignoring SLURMEnvironment.set_world_size(%s).", size)

    def global_rank(self) -> int:
        return int(os.environ["SLURM_PROCID"])

    def set_global_rank(self, rank: int) -> None:
        log.debug("SLURM fixes the global rank; ignoring SLURMEnvironment.set_global_rank(%s).", rank)

    def local_rank(self) -> int:
        return int(os.environ["SLURM_LOCALID"])

    def node_rank(self) -> int:
        return int(os.environ["SLURM_NODEID"])

    def validate_settings(self, num_devices: int, num_nodes: int) -> None:
        if _is_slurm_interactive_mode():
            return
        per_node = os.environ.get("SLURM_NTASKS_PER_NODE")
        if per_node is not None and int(per_node) != num_devices:
            raise ValueError(
                f"`Trainer(devices={num_devices})` does not match the SLURM job's `--ntasks-per-node={per_node}`. "
                f"Set `devices={per_node}` (or change the job script)."
            )
        nnodes = os.environ.get("SLURM_NNODES")
        if nnodes is not None and int(nnodes) != num_nodes:
            raise ValueError(
                f"`Trainer(num_nodes={num_nodes})` does not match the SLURM job's `--nodes={nnodes}`. "
                f"Set `num_nodes={nnodes}` (or change the job script)."
            )

    @staticmethod
    def resolve_root_node_address(nodes: str) -> str:
        """The first host of a SLURM node list: 'a b', 'a,b' or 'host[5-9,12]' (-> 'host5')."""
        nodes = re.sub(r"\[(.*?)[,-].*\]", r"\1", nodes)  # first entry of a bracketed range/list
        nodes = re.sub(r"\[(.*?)\]", r"\1", nodes)  # a bracket holding one number
        return nodes.split(" ")[0].split(",")[0]

    @staticmethod
    def _validate_srun_used() -> None:
        if sys.platform == "win32":
            return
        if shutil.which("srun") is not None and not _is_srun_used():
            command = " ".join(["srun", os.path.basename(sys.executable), *sys.argv])[:64]
            rank_zero_warn(
                "`srun` exists on this system but this process was not started with it, so SLURM will not place one "
                f"task per device and multi-process runs hang. Prepend `srun`: {command} ...",
                category=PossibleUserWarning,
            )

    @staticmethod
    def _validate_srun_variables() -> None:
        ntasks = int(os.environ.get("SLURM_NTASKS", "1"))
        if ntasks > 1 and "SLURM_NTASKS_PER_NODE" not in os.environ:
            raise RuntimeError(
                f"The SLURM job sets `--ntasks={ntasks}` without `--ntasks-per-node`; Lightning needs the per-node "
                f"count to place processes. Use `--ntasks-per-node={ntasks}` instead."
            )


def _is_srun_used() -> bool:
    return "SLURM_NTASKS" in os.environ and not _is_slurm_interactive_mode()


def _is_slurm_interactive_mode() -> bool:
    # `srun --job-name=bash/interactive` is an interactive shell, not a training job
    return SLURMEnvironment.job_name() in ("bash", "interactive")
