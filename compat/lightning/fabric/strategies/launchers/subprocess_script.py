"""``_SubprocessScriptLauncher`` (``strategy="ddp"``): rank 0 re-runs the user's command once per extra local
process, with ``LOCAL_RANK`` / ``NODE_RANK`` / ``WORLD_SIZE`` / ``MASTER_ADDR`` / ``MASTER_PORT`` in the environment,
the way ``torchrun`` would. Each process then runs the whole script and meets the others in the process group.

Failure handling: a thread in rank 0 watches the children; when one exits with an error, all of them and rank 0
are killed at once (a rank stuck in a collective would otherwise wait for the collective timeout). When rank 0
fails, ``DDPStrategy.on_exception`` kills the children; and a child dies with its parent (Linux ``PDEATHSIG``).
"""
import atexit
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from typing import Any, Callable, Sequence

from lightning.fabric.utilities.distributed import _check_port_free, _set_num_threads_if_needed
from lightning.fabric.strategies.launchers.launcher import _Launcher

log = logging.getLogger(__name__)

# how long rank 0 waits at exit for children that are still finishing (they ran the same steps, so it is short)
_CHILD_EXIT_GRACE_S = 60.0


class _SubprocessScriptLauncher(_Launcher):
    """Re-launches ``sys.argv`` as ``num_processes - 1`` child processes on this node; this process is local rank 0.

    Nothing is launched when the cluster environment says the processes were created externally (torchrun, SLURM,
    the user setting ``LOCAL_RANK``), or when this process is itself one of the children.
    """

    def __init__(self, cluster_environment: Any, num_processes: int, num_nodes: int) -> None:
        super().__init__()
        self.cluster_environment = cluster_environment
        self.num_processes = num_processes
        self.num_nodes = num_nodes
        self.procs: list = []

    @property
    def is_interactive_compatible(self) -> bool:
        return False

    def launch(self, function: Callable, *args: Any, **kwargs: Any) -> Any:
        # checked when the run starts, not when the Trainer/Fabric is built (as 2.6.6: a SLURM mismatch fails `fit`)
        self.cluster_environment.validate_settings(num_devices=self.num_processes, num_nodes=self.num_nodes)
        if not self.cluster_environment.creates_processes_externally:
            self._call_children_scripts()
            _ChildProcessObserver(os.getpid(), self.procs).start()
        _set_num_threads_if_needed(num_processes=self.num_processes)
        return function(*args, **kwargs)

    def kill(self, signum: int) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                log.debug(f"Process {os.getpid()} sends signal {signum} to child {proc.pid}")
                proc.send_signal(signum)

    def _call_children_scripts(self) -> None:
        if self.procs:
            raise RuntimeError("The launcher can only create the child processes once.")
        env = self.cluster_environment
        if env.local_rank() != 0:
            raise RuntimeError(
                f"Lightning was asked to launch processes from local rank {env.local_rank()}; only local rank 0 may. "
                "Was LOCAL_RANK changed by hand, or does the cluster environment misreport "
                "`creates_processes_externally`?"
            )
        address, port = env.main_address, env.main_port
        if env.node_rank() == 0:
            _check_port_free(address, port)  # fail here with a clear message, before any child exists
        command = _script_command() if self.num_processes > 1 else []  # may refuse: also before exporting anything
        # these stay set in this process too: it is local rank 0 from now on, and a second `trainer.fit` in the same
        # script must not launch again (LightningEnvironment sees LOCAL_RANK)
        os.environ["MASTER_ADDR"] = address
        os.environ["MASTER_PORT"] = str(port)
        os.environ["NODE_RANK"] = str(env.node_rank())
        os.environ["LOCAL_RANK"] = str(env.local_rank())
        os.environ["WORLD_SIZE"] = str(self.num_processes * self.num_nodes)
        for local_rank in range(1, self.num_processes):
            child_env = os.environ.copy()
            child_env["LOCAL_RANK"] = str(local_rank)
            self.procs.append(subprocess.Popen(command, env=child_env, preexec_fn=_die_with_parent))
        atexit.register(_wait_for_children, self.procs)


def _script_command() -> Sequence[str]:
    """The command line that started this process: ``python script.py ...`` or ``python -m package ...``."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if spec is not None:
        return [sys.executable, "-m", spec.name, *sys.argv[1:]]
    script = sys.argv[0] if sys.argv else ""
    if not script or not os.path.isfile(script):
        raise RuntimeError(
            f"`strategy='ddp'` starts the other processes by re-running your script, but this process did not come "
            f"from a script file (sys.argv[0]={script!r}: `python -c`, stdin or a notebook). Save the code in a file "
            "and run that, or use `strategy='ddp_spawn'` (or 'ddp_notebook' in a notebook)."
        )
    return [sys.executable, os.path.abspath(script), *sys.argv[1:]]


def _die_with_parent() -> None:
    """In the child, before exec: ask Linux to SIGKILL us when the launching process dies (no orphans)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except Exception:  # best effort: the observer thread and on_exception still clean up
            pass


def _wait_for_children(procs: list) -> None:
    deadline = time.monotonic() + _CHILD_EXIT_GRACE_S
    for proc in procs:
        try:
            proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()


class _ChildProcessObserver(threading.Thread):
    """Polls the children; the first one that exits with an error takes down all the others and this process
    (SIGKILL: a process blocked in a collective does not react to SIGTERM)."""

    def __init__(self, main_pid: int, child_processes: list, sleep_period: float = 0.5) -> None:
        super().__init__(daemon=True, name="child-process-observer")
        self._main_pid = main_pid
        self._child_processes = child_processes
        self._sleep_period = sleep_period
        self._finished = False

    def run(self) -> None:
        while not self._finished:
            time.sleep(self._sleep_period)
            self._finished = self._check()

    def _check(self) -> bool:
        codes = [proc.poll() for proc in self._child_processes]
        if all(code == 0 for code in codes):
            return True
        for local_rank, (proc, code) in enumerate(zip(self._child_processes, codes), start=1):
            if code:
                sys.stderr.write(
                    f"[rank: {local_rank}] Child process {proc.pid} exited with code {code}; terminating all other "
                    "processes so that none is left waiting in a collective.\n"
                )
                sys.stderr.flush()
                self._terminate_all()
                return True
        return False

    def _terminate_all(self) -> None:
        kill = signal.SIGTERM if sys.platform == "win32" else signal.SIGKILL
        for proc in self._child_processes:
            if proc.poll() is None:
                proc.send_signal(kill)
        os.kill(self._main_pid, kill)
