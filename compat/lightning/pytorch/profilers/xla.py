"""``XLAProfiler``: the TPU profiler server; needs ``torch_xla``, which this CPU/GPU build does not ship."""
from lightning.pytorch.profilers.profiler import Profiler


class XLAProfiler(Profiler):
    """Starts the Cloud TPU profiler server (``torch_xla.debug.profiler``) on ``port``."""

    STEP_FUNCTIONS = {"validation_step", "test_step", "predict_step"}
    RECORD_FUNCTIONS = {"training_step", "backward", "validation_step", "test_step", "predict_step"}

    def __init__(self, port: int = 9012) -> None:
        try:
            import torch_xla  # noqa: F401
        except ImportError as err:
            raise ModuleNotFoundError(
                "`XLAProfiler` profiles TPU runs and needs `torch_xla` (pip install torch_xla). On CPU or GPU use "
                "`SimpleProfiler`, `AdvancedProfiler` or `PyTorchProfiler` instead."
            ) from err
        super().__init__(dirpath=None, filename=None)
        self.port = port
        self._recording_map: dict = {}
        self._step_recoding_map: dict = {}
        self._start_trace = False

    def start(self, action_name: str) -> None:
        import torch_xla.debug.profiler as xp

        hook = action_name.split(".")[-1]
        if hook not in self.RECORD_FUNCTIONS:
            return
        if not self._start_trace:
            self.server = xp.start_server(self.port)
            self._start_trace = True
        if hook in self.STEP_FUNCTIONS:
            self._step_recoding_map[action_name] = self._step_recoding_map.get(action_name, 0) + 1
            recording = xp.StepTrace(action_name, step_num=self._step_recoding_map[action_name])
        else:
            recording = xp.Trace(action_name)
        recording.__enter__()
        self._recording_map[action_name] = recording

    def stop(self, action_name: str) -> None:
        recording = self._recording_map.pop(action_name, None)
        if recording is not None:
            recording.__exit__(None, None, None)
