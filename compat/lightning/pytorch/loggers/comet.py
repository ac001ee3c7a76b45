"""``CometLogger``: metrics, parameters and the model graph to Comet (``comet_ml``).

Importable without ``comet_ml``; constructing it without the package raises an error that names the install command.
"""
import os
from argparse import Namespace
from typing import Any, Literal, Optional, Union

from torch import Tensor
from torch.nn import Module

from lightning.fabric.utilities.rank_zero import rank_zero_only
from lightning.pytorch.loggers._optional import _require
from lightning.pytorch.loggers.logger import Logger, rank_zero_experiment
from lightning.pytorch.loggers.utilities import _convert_params
from lightning.pytorch import _extensions

comet_experiment = Union["Experiment", "ExistingExperiment", "OfflineExperiment"]  # comet_ml's experiment types

FRAMEWORK_NAME = "pytorch-lightning"


class CometLogger(Logger):
    """Log to `Comet <https://www.comet.com>`_ (``pip install comet-ml``).

    Args:
        api_key: Comet API key (else from Comet's configuration / environment).
        workspace: Workspace name.
        project: Project name.
        experiment_key: Key of an existing experiment to continue.
        mode: ``"get_or_create"``, ``"get"`` or ``"create"``.
        online: ``False`` keeps the experiment offline.
        prefix: Passed to Comet as the metric-name prefix.
        **kwargs: Passed to ``comet_ml.ExperimentConfig``.
    """

    @_extensions.constructor_arguments("CometLogger")
    def __init__(
        self,
        *,
        api_key: Optional[str] = None,
        workspace: Optional[str] = None,
        project: Optional[str] = None,
        experiment_key: Optional[str] = None,
        mode: Optional[Literal["get_or_create", "get", "create"]] = None,
        online: Optional[bool] = None,
        prefix: Optional[str] = None,
        **kwargs: Any,
    ) -> None:
        _require("comet_ml", "comet-ml", "CometLogger")
        super().__init__()
        self._api_key = api_key
        self._workspace = workspace
        self._mode = mode
        self._online = online
        self._project_name = project
        self._experiment_key = experiment_key
        self._prefix = prefix
        self._kwargs = kwargs
        self._experiment: Any = None
        os.environ["COMET_DISABLE_AUTO_LOGGING"] = "1"  # Lightning reports the metrics itself
        import comet_ml

        config = dict(kwargs)
        if online is False:
            config["disabled"] = True
        self._comet_config = comet_ml.ExperimentConfig(**config)
        if rank_zero_only.rank == 0:
            self._create_experiment()

    def _create_experiment(self) -> None:
        import comet_ml

        self._experiment = comet_ml.start(
            api_key=self._api_key,
            workspace=self._workspace,
            project=self._project_name,
            experiment_key=self._experiment_key,
            mode=self._mode,
            online=self._online,
            experiment_config=self._comet_config,
        )
        if self._experiment is None:
            raise RuntimeError("Comet did not return an experiment; check the API key, workspace and project.")
        self._experiment_key = self._experiment.get_key()
        self._project_name = self._experiment.project_name
        self._experiment.log_other("Created from", FRAMEWORK_NAME)

    @property
    @rank_zero_experiment
    def experiment(self) -> Any:
        if not self._experiment:
            self._create_experiment()
        return self._experiment

    @rank_zero_only
    def log_hyperparams(self, params: Union[dict[str, Any], Namespace]) -> None:
        self.experiment.__internal_api__log_parameters__(
            parameters=_convert_params(params), framework=FRAMEWORK_NAME, flatten_nested=True, source="manual"
        )

    @rank_zero_only
    def log_metrics(self, metrics: dict[str, Any], step: Optional[int] = None) -> None:
        values = {key: value.cpu().detach() if isinstance(value, Tensor) else value for key, value in metrics.items()}
        epoch = values.pop("epoch", None)
        self.experiment.__internal_api__log_metrics__(
            values, step=step, epoch=epoch, prefix=self._prefix, framework=FRAMEWORK_NAME
        )

    @rank_zero_only
    def finalize(self, status: str) -> None:
        # the experiment stays open so that it can be used after training; only make sure everything is sent
        if self._experiment is not None:
            self._experiment.flush()

    @property
    def save_dir(self) -> Optional[str]:
        return self._comet_config.offline_directory

    @property
    def name(self) -> Optional[str]:
        return self._project_name

    @property
    def version(self) -> Optional[str]:
        return self._experiment.get_key() if self._experiment is not None else None

    def log_graph(self, model: Module, input_array: Optional[Tensor] = None) -> None:
        if self._experiment is not None:
            self._experiment.__internal_api__set_model_graph__(graph=model, framework=FRAMEWORK_NAME)

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["_experiment_key"] = self._experiment.get_key() if self._experiment is not None else None
        state["_experiment"] = None
        return state
