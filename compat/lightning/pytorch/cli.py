"""LightningCLI: a command line (and YAML config) built from the signatures of the Trainer, model and datamodule.

Owns the parser (``LightningArgumentParser``, a jsonargparse ``ArgumentParser`` with Lightning helpers), the
``fit/validate/test/predict`` subcommands, the ``--optimizer``/``--lr_scheduler`` shortcuts that replace the model's
``configure_optimizers``, the callback that writes the parsed config next to the logs (``SaveConfigCallback``) and
the hyperparameter hand-off that lets ``load_from_checkpoint`` rebuild a model the CLI created.

jsonargparse is an optional dependency (extra ``cli``); importing this module works without it, building a parser
raises a ``ModuleNotFoundError`` that names the install command.
"""
import inspect
import os
import sys
from collections.abc import Iterable
from contextlib import contextmanager
from functools import partial, update_wrapper
from pathlib import Path
from types import MethodType
from typing import Any, Callable, Iterator, Optional, TypeVar, Union

import torch
import yaml
from torch.optim import Optimizer
from torch.optim.lr_scheduler import LRScheduler

from lightning.__about__ import __version__
from lightning.fabric.utilities.cloud_io import get_filesystem
from lightning.fabric.utilities.seed import seed_everything
from lightning.pytorch.callbacks.callback import Callback
from lightning.pytorch.core.datamodule import LightningDataModule
from lightning.pytorch.core.module import LightningModule
from lightning.pytorch.trainer.trainer import Trainer
from lightning.pytorch import _extensions
from lightning.pytorch.utilities.exceptions import MisconfigurationException
from lightning.pytorch.utilities.model_helpers import is_overridden
from lightning.pytorch.utilities.rank_zero import rank_zero_warn

_INSTALL_HINT = 'pip install "lightning-compat[cli]"  (or: pip install "jsonargparse[signatures]>=4.27.7")'

try:
    import docstring_parser
    from jsonargparse import ActionConfigFile, ArgumentParser, Namespace, class_from_function

    try:  # torch's C-implemented callables have no importable path of their own
        from jsonargparse import register_unresolvable_import_paths

        register_unresolvable_import_paths(torch)
    except ImportError:  # pragma: no cover - older jsonargparse
        pass
    _JSONARGPARSE_AVAILABLE = True
except ImportError as _err:  # the optional extra is not installed
    _JSONARGPARSE_AVAILABLE = False
    _JSONARGPARSE_ERROR = str(_err)
    ArgumentParser = object  # type: ignore[assignment,misc]
    Namespace = object  # type: ignore[assignment,misc]


_SHORT_NAME_PACKAGES = ("callbacks", "loggers", "profilers", "strategies", "accelerators", "plugins")


def _import_lightning_classes() -> None:
    """Import the classes Lightning exports lazily: jsonargparse resolves short class names
    (``--trainer.callbacks+=EarlyStopping``) among the subclasses that are already imported."""
    import importlib

    for name in _SHORT_NAME_PACKAGES:
        package = importlib.import_module(f"lightning.pytorch.{name}")
        for export in getattr(package, "__all__", ()):
            try:
                getattr(package, export)
            except (ImportError, AttributeError):  # an optional dependency is missing: that class cannot be named
                pass


def _require_jsonargparse() -> None:
    if not _JSONARGPARSE_AVAILABLE:
        raise ModuleNotFoundError(
            f"LightningCLI needs jsonargparse with its signatures extra, which is not installed "
            f"({_JSONARGPARSE_ERROR}). Install it with: {_INSTALL_HINT}"
        )


ModuleType = TypeVar("ModuleType")


class ReduceLROnPlateau(torch.optim.lr_scheduler.ReduceLROnPlateau):
    """``torch.optim.lr_scheduler.ReduceLROnPlateau`` that also knows which logged metric it follows (``monitor``),
    so the CLI can hand it to the Trainer without a ``configure_optimizers``."""

    def __init__(self, optimizer: Optimizer, monitor: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(optimizer, *args, **kwargs)
        self.monitor = monitor


# The CLI accepts only the ReduceLROnPlateau above (it carries `monitor`), not torch's own.
LRSchedulerTypeTuple = (LRScheduler, ReduceLROnPlateau)
LRSchedulerTypeUnion = Union[LRScheduler, ReduceLROnPlateau]
LRSchedulerType = Union[type[LRScheduler], type[ReduceLROnPlateau]]

# Type hints for CLI authors: a model can take `optimizer: OptimizerCallable` and call it with its parameters.
ArgsType = Optional[Union[list[str], dict[str, Any], Namespace]]
OptimizerCallable = Callable[[Iterable], Optimizer]
LRSchedulerCallable = Callable[[Optimizer], Union[LRScheduler, ReduceLROnPlateau]]

_CORE_CLASSES = (Trainer, LightningModule, LightningDataModule, Callback)


class LightningArgumentParser(ArgumentParser):
    """A jsonargparse ``ArgumentParser`` (config files, nested keys, class_path values) with helpers that add the
    arguments of Lightning classes, optimizers and learning-rate schedulers."""

    def __init__(
        self,
        *args: Any,
        description: str = "Lightning Trainer command line tool",
        env_prefix: str = "PL",
        default_env: bool = False,
        **kwargs: Any,
    ) -> None:
        """
        Args:
            description: Shown at the top of ``--help``.
            env_prefix: Prefix of the environment variables read when ``default_env=True``.
            default_env: Whether values may also come from environment variables (``PL_TRAINER__MAX_EPOCHS``).
        """
        _require_jsonargparse()
        super().__init__(*args, description=description, env_prefix=env_prefix, default_env=default_env, **kwargs)
        _import_lightning_classes()
        self.callback_keys: list[str] = []
        # nested key -> (class or tuple of allowed base classes, link target or "AUTOMATIC")
        self._optimizers: dict[str, tuple[Union[type, tuple[type, ...]], str]] = {}
        self._lr_schedulers: dict[str, tuple[Union[type, tuple[type, ...]], str]] = {}

    def add_lightning_class_args(
        self,
        lightning_class: Union[Callable[..., Union[Trainer, LightningModule, LightningDataModule, Callback]],
                               type[Trainer], type[LightningModule], type[LightningDataModule], type[Callback]],
        nested_key: str,
        subclass_mode: bool = False,
        required: bool = True,
    ) -> list[str]:
        """Add the ``__init__`` arguments of ``lightning_class`` under ``nested_key`` and return their names.

        Args:
            lightning_class: A Trainer, LightningModule, LightningDataModule or Callback class, or a function that
                returns one (its signature gives the arguments).
            nested_key: Where the arguments live (``--<nested_key>.<name>``).
            subclass_mode: Accept any subclass, chosen with ``class_path``.
            required: Whether the group must be given (subclass mode only).
        """
        if callable(lightning_class) and not isinstance(lightning_class, type):
            lightning_class = class_from_function(lightning_class)
        if not (isinstance(lightning_class, type) and issubclass(lightning_class, _CORE_CLASSES)):
            raise MisconfigurationException(
                f"Cannot add arguments from {lightning_class!r}: give a subclass of Trainer, LightningModule, "
                "LightningDataModule or Callback, or a function that returns an instance of one."
            )
        if issubclass(lightning_class, Callback):
            self.callback_keys.append(nested_key)
        if subclass_mode:
            return self.add_subclass_arguments(lightning_class, nested_key, fail_untyped=False, required=required)
        return self.add_class_arguments(lightning_class, nested_key, fail_untyped=False, sub_configs=True,
                                        instantiate=not issubclass(lightning_class, Trainer))

    def add_optimizer_args(
        self,
        optimizer_class: Union[type[Optimizer], tuple[type[Optimizer], ...]] = (Optimizer,),
        nested_key: str = "optimizer",
        link_to: str = "AUTOMATIC",
    ) -> None:
        """Add an optimizer group (its ``params`` argument is left out: the model supplies it).

        Args:
            optimizer_class: An optimizer class, or a tuple of base classes to accept any subclass of.
            nested_key: Where the arguments live.
            link_to: A parser key that receives the optimizer's config, or ``"AUTOMATIC"`` to let the CLI build the
                model's ``configure_optimizers``.
        """
        _check_subclasses(optimizer_class, (Optimizer,), "optimizer_class", "torch.optim.Optimizer")
        self._add_uninstantiated_group(optimizer_class, nested_key, skip={"params"})
        self._optimizers[nested_key] = (optimizer_class, link_to)

    def add_lr_scheduler_args(
        self,
        lr_scheduler_class: Union[LRSchedulerType, tuple[LRSchedulerType, ...]] = LRSchedulerTypeTuple,
        nested_key: str = "lr_scheduler",
        link_to: str = "AUTOMATIC",
    ) -> None:
        """Add a learning-rate scheduler group (its ``optimizer`` argument is left out).

        Args:
            lr_scheduler_class: A scheduler class (``LRScheduler`` or this module's ``ReduceLROnPlateau``), or a
                tuple of base classes to accept any subclass of.
            nested_key: Where the arguments live.
            link_to: A parser key that receives the scheduler's config, or ``"AUTOMATIC"``.
        """
        _check_subclasses(lr_scheduler_class, LRSchedulerTypeTuple, "lr_scheduler_class",
                          "torch.optim.lr_scheduler.LRScheduler or lightning.pytorch.cli.ReduceLROnPlateau")
        self._add_uninstantiated_group(lr_scheduler_class, nested_key, skip={"optimizer"})
        self._lr_schedulers[nested_key] = (lr_scheduler_class, link_to)

    def _add_uninstantiated_group(self, cls: Union[type, tuple[type, ...]], key: str, skip: set) -> None:
        # optimizers and schedulers need the model's parameters first, so they stay configs until the CLI builds them
        options: dict[str, Any] = {"instantiate": False, "fail_untyped": False, "skip": skip}
        if isinstance(cls, tuple):
            self.add_subclass_arguments(cls, key, **options)
        else:
            self.add_class_arguments(cls, key, sub_configs=True, **options)


def _check_subclasses(given: Union[type, tuple[type, ...]], bases: tuple[type, ...], name: str, what: str) -> None:
    classes = given if isinstance(given, tuple) else (given,)
    wrong = [c for c in classes if not (isinstance(c, type) and issubclass(c, bases))]
    if wrong:
        raise ValueError(f"`{name}` must be a subclass of {what} (or a tuple of them), got {wrong}.")


class SaveConfigCallback(Callback):
    """Writes the parsed LightningCLI config into the trainer's ``log_dir`` when a run sets up (rank zero only).

    Args:
        parser: The parser that produced ``config``.
        config: The parsed config to write.
        config_filename: Name of the file in ``log_dir``.
        overwrite: Replace an existing file instead of raising.
        multifile: Keep the layout of several input config files.
        save_to_log_dir: Write to ``log_dir``; ``False`` only makes sense in a subclass that implements
            ``save_config`` to put the config somewhere else.

    Raises:
        RuntimeError: If the file exists already and ``overwrite=False`` (so a previous run is not clobbered).
    """

    def __init__(
        self,
        parser: LightningArgumentParser,
        config: Namespace,
        config_filename: str = "config.yaml",
        overwrite: bool = False,
        multifile: bool = False,
        save_to_log_dir: bool = True,
    ) -> None:
        self.parser = parser
        self.config = config
        self.config_filename = config_filename
        self.overwrite = overwrite
        self.multifile = multifile
        self.save_to_log_dir = save_to_log_dir
        self.already_saved = False
        if not save_to_log_dir and not is_overridden("save_config", self, SaveConfigCallback):
            raise ValueError(
                "SaveConfigCallback(save_to_log_dir=False) would save nothing: subclass it and implement "
                "`save_config(trainer, pl_module, stage)` to save the config elsewhere, or keep save_to_log_dir=True."
            )

    def setup(self, trainer: Trainer, pl_module: LightningModule, stage: str) -> None:
        if self.already_saved:
            return
        if self.save_to_log_dir:
            self._write_to_log_dir(trainer)
        if trainer.is_global_zero:
            self.save_config(trainer, pl_module, stage)
            self.already_saved = True
        # every rank must agree, or ranks other than zero would try again on the next stage
        self.already_saved = trainer.strategy.broadcast(self.already_saved)

    def _write_to_log_dir(self, trainer: Trainer) -> None:
        log_dir = trainer.log_dir
        if log_dir is None:
            raise RuntimeError("SaveConfigCallback needs `trainer.log_dir`, which is None for this Trainer.")
        path = os.path.join(log_dir, self.config_filename)
        fs = get_filesystem(log_dir)
        if not self.overwrite:
            exists = trainer.strategy.broadcast(fs.isfile(path) if trainer.is_global_zero else False)
            if exists:
                raise RuntimeError(
                    f"{type(self).__name__} will not overwrite {path}, left by an earlier run. Delete the file, "
                    "pass `LightningCLI(save_config_kwargs={'overwrite': True})` to replace it, or "
                    "`LightningCLI(save_config_callback=None)` to not save the config."
                )
        if trainer.is_global_zero:
            fs.makedirs(log_dir, exist_ok=True)  # the logger may not have created it yet
            self.parser.save(self.config, path, skip_none=False, overwrite=self.overwrite, multifile=self.multifile)

    def save_config(self, trainer: Trainer, pl_module: LightningModule, stage: str) -> None:
        """Override to also save the config elsewhere (e.g. to a logger). Runs on rank zero only, so it must not
        call collectives."""


class LightningCLI:
    """Parses the command line (or ``args``) into a Trainer, a model and a datamodule and runs a Trainer method."""

    # 1.x keywords (`auto_registry=`, `seed_everything_default=None`) are translated with a warning, or raise in
    # strict mode, from the table in lit_migrate.legacy_facts
    @_extensions.constructor_arguments("LightningCLI")
    def __init__(
        self,
        model_class: Optional[Union[type[LightningModule], Callable[..., LightningModule]]] = None,
        datamodule_class: Optional[Union[type[LightningDataModule], Callable[..., LightningDataModule]]] = None,
        save_config_callback: Optional[type[SaveConfigCallback]] = SaveConfigCallback,
        save_config_kwargs: Optional[dict[str, Any]] = None,
        trainer_class: Union[type[Trainer], Callable[..., Trainer]] = Trainer,
        trainer_defaults: Optional[dict[str, Any]] = None,
        seed_everything_default: Union[bool, int] = True,
        parser_kwargs: Optional[Union[dict[str, Any], dict[str, dict[str, Any]]]] = None,
        parser_class: type[LightningArgumentParser] = LightningArgumentParser,
        subclass_mode_model: bool = False,
        subclass_mode_data: bool = False,
        args: ArgsType = None,
        run: bool = True,
        auto_configure_optimizers: bool = True,
        load_from_checkpoint_support: bool = True,
    ) -> None:
        """
        Args:
            model_class: The LightningModule class (or a function returning one). ``None`` accepts any
                LightningModule given with ``--model=<class path>``.
            datamodule_class: The LightningDataModule class (or a function returning one). ``None`` makes ``--data``
                optional and accepts any LightningDataModule.
            save_config_callback: Callback class that saves the config (``None`` to not save it).
            save_config_kwargs: Keyword arguments for ``save_config_callback``.
            trainer_class: The Trainer class (or a function returning one).
            trainer_defaults: Defaults for Trainer arguments; ``callbacks`` given here are always added and are not
                configurable.
            seed_everything_default: Default of ``--seed_everything``: an int seed, ``True`` for a random seed,
                ``False`` to not seed.
            parser_kwargs: Keyword arguments for the parsers; a key named after a subcommand holds that subcommand
                parser's keyword arguments.
            parser_class: The parser class to use.
            subclass_mode_model: Accept any subclass of ``model_class`` (chosen with ``class_path``).
            subclass_mode_data: Accept any subclass of ``datamodule_class``.
            args: Arguments to parse instead of ``sys.argv[1:]``: a list of command-line strings, or a dict /
                Namespace of config values.
            run: Add the subcommands and run the chosen Trainer method; ``False`` only builds the objects.
            auto_configure_optimizers: Add ``--optimizer`` / ``--lr_scheduler`` and, when given, use them as the
                model's ``configure_optimizers``.
            load_from_checkpoint_support: Save the parsed config as the model's hyperparameters so
                ``load_from_checkpoint`` can rebuild nested classes.
        """
        self.save_config_callback = save_config_callback
        self.save_config_kwargs = save_config_kwargs or {}
        self.trainer_class = trainer_class
        self.trainer_defaults = trainer_defaults or {}
        self.seed_everything_default = seed_everything_default
        self.parser_kwargs = parser_kwargs or {}
        self.parser_class = parser_class
        self.auto_configure_optimizers = auto_configure_optimizers

        # the given classes (maybe None) and the ones the parser uses
        self.model_class = model_class
        self._model_class = model_class or LightningModule
        self.subclass_mode_model = model_class is None or subclass_mode_model
        self.datamodule_class = datamodule_class
        self._datamodule_class = datamodule_class or LightningDataModule
        self.subclass_mode_data = datamodule_class is None or subclass_mode_data

        main_kwargs, subcommand_kwargs = self._setup_parser_kwargs(self.parser_kwargs)
        self.setup_parser(run, main_kwargs, subcommand_kwargs)
        self.parse_arguments(self.parser, args)
        self._parse_ckpt_path()
        self.subcommand = self.config["subcommand"] if run else None
        self._set_seed()
        if load_from_checkpoint_support:
            self._add_instantiators()
        self.before_instantiate_classes()
        self.instantiate_classes()
        self.after_instantiate_classes()
        if self.subcommand is not None:
            self._run_subcommand(self.subcommand)

    # -- parser ------------------------------------------------------------------------------------------------------
    def _setup_parser_kwargs(self, parser_kwargs: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        names = self.subcommands()
        return ({k: v for k, v in parser_kwargs.items() if k not in names},
                {k: v for k, v in parser_kwargs.items() if k in names})

    def init_parser(self, **kwargs: Any) -> LightningArgumentParser:
        """Create a parser with ``-c/--config``."""
        kwargs.setdefault("dump_header", [f"lightning.pytorch=={__version__}"])
        parser = self.parser_class(**kwargs)
        parser.add_argument("-c", "--config", action=ActionConfigFile,
                            help="Path to a configuration file in json or yaml format.")
        return parser

    def setup_parser(self, add_subcommands: bool, main_kwargs: dict[str, Any],
                     subparser_kwargs: dict[str, Any]) -> None:
        """Create ``self.parser`` with its arguments (and one subparser per subcommand when ``add_subcommands``)."""
        self.parser = self.init_parser(**main_kwargs)
        if add_subcommands:
            self._subcommand_method_arguments: dict[str, list[str]] = {}
            self._add_subcommands(self.parser, **subparser_kwargs)
        else:
            self._add_arguments(self.parser)

    def add_default_arguments_to_parser(self, parser: LightningArgumentParser) -> None:
        """Add ``--seed_everything``."""
        parser.add_argument(
            "--seed_everything", type=Union[bool, int], default=self.seed_everything_default,
            help="Seed for seed_everything, run before the classes are built: an int, true for a random seed, "
                 "false to not seed.",
        )

    def add_core_arguments_to_parser(self, parser: LightningArgumentParser) -> None:
        """Add the ``trainer``, ``model`` and ``data`` groups."""
        parser.add_lightning_class_args(self.trainer_class, "trainer")
        parser.set_defaults({f"trainer.{k}": v for k, v in self.trainer_defaults.items() if k != "callbacks"})
        parser.add_lightning_class_args(self._model_class, "model", subclass_mode=self.subclass_mode_model)
        # without a datamodule class the model may bring its own dataloaders, so `--data` is optional
        parser.add_lightning_class_args(self._datamodule_class, "data", subclass_mode=self.subclass_mode_data,
                                        required=self.datamodule_class is not None)

    def add_arguments_to_parser(self, parser: LightningArgumentParser) -> None:
        """Override to add arguments or links (``parser.link_arguments``) of your own."""

    def _add_arguments(self, parser: LightningArgumentParser) -> None:
        self.add_default_arguments_to_parser(parser)
        self.add_core_arguments_to_parser(parser)
        self.add_arguments_to_parser(parser)
        if self.auto_configure_optimizers:  # unless the user added their own groups
            if not parser._optimizers:
                parser.add_optimizer_args((Optimizer,))
            if not parser._lr_schedulers:
                parser.add_lr_scheduler_args(LRSchedulerTypeTuple)
        self.link_optimizers_and_lr_schedulers(parser)

    @staticmethod
    def subcommands() -> dict[str, set[str]]:
        """The subcommands (Trainer methods) and the method arguments the CLI fills in itself."""
        return {
            "fit": {"model", "train_dataloaders", "val_dataloaders", "datamodule"},
            "validate": {"model", "dataloaders", "datamodule"},
            "test": {"model", "dataloaders", "datamodule"},
            "predict": {"model", "dataloaders", "datamodule"},
        }

    def _add_subcommands(self, parser: LightningArgumentParser, **kwargs: Any) -> None:
        self._subcommand_parsers: dict[str, LightningArgumentParser] = {}
        subcommands = parser.add_subcommands()
        trainer_class = self.trainer_class if isinstance(self.trainer_class, type) else \
            class_from_function(self.trainer_class)
        for name in self.subcommands():
            description = _get_short_description(getattr(trainer_class, name))
            options = dict(kwargs.get(name, {}))
            options.setdefault("description", description)
            subparser = self._prepare_subcommand_parser(trainer_class, name, **options)
            self._subcommand_parsers[name] = subparser
            subcommands.add_subcommand(name, subparser, help=description)

    def _prepare_subcommand_parser(self, klass: type, subcommand: str, **kwargs: Any) -> LightningArgumentParser:
        parser = self.init_parser(**kwargs)
        self._add_arguments(parser)
        # the method's own arguments (ckpt_path, verbose, ...) minus those the CLI passes itself
        added = parser.add_method_arguments(klass, subcommand, skip=set(self.subcommands()[subcommand]))
        self._subcommand_method_arguments[subcommand] = added
        return parser

    @staticmethod
    def link_optimizers_and_lr_schedulers(parser: LightningArgumentParser) -> None:
        """Link the optimizer / scheduler groups that named a ``link_to`` target to it."""
        for key, (class_type, link_to) in {**parser._optimizers, **parser._lr_schedulers}.items():
            if link_to == "AUTOMATIC":
                continue
            if isinstance(class_type, tuple):
                parser.link_arguments(key, link_to)
            else:  # a fixed class: the target still receives a class_path + init_args config
                parser.link_arguments(key, link_to, compute_fn=partial(_with_class_path, class_type))

    def parse_arguments(self, parser: LightningArgumentParser, args: ArgsType) -> None:
        """Parse ``args`` (or ``sys.argv``) into ``self.config``."""
        if args is not None and len(sys.argv) > 1:
            rank_zero_warn(
                f"LightningCLI got `args={args}` and also command-line arguments {sys.argv[1:]}; only `args` is "
                "parsed. Pass one or the other."
            )
        if isinstance(args, (dict, Namespace)):
            self.config = parser.parse_object(args)
        else:
            self.config = parser.parse_args(args)

    def _parse_ckpt_path(self) -> None:
        """With a ``ckpt_path`` file, the model hyperparameters saved in it become the model config."""
        subcommand = self.config.get("subcommand")
        if not subcommand:
            return
        ckpt_path = self.config[subcommand].get("ckpt_path")
        if not ckpt_path or not Path(ckpt_path).is_file():
            return
        hparams = torch.load(ckpt_path, weights_only=True, map_location="cpu").get("hyper_parameters", {})
        hparams = {k: v for k, v in hparams.items() if k != "_instantiator"}
        if not hparams:
            return
        if "_class_path" in hparams:
            hparams = {"class_path": hparams.pop("_class_path"), "dict_kwargs": hparams}
        try:
            self.config = self.parser.parse_object({subcommand: {"model": hparams}}, self.config)
        except SystemExit:
            sys.stderr.write(f"The model hyperparameters saved in {ckpt_path} do not parse as the model config.\n")
            raise

    # -- building the objects ----------------------------------------------------------------------------------------
    def _set_seed(self) -> None:
        seed = self._get(self.config, "seed_everything")
        if seed is False:
            return
        seed = seed_everything(workers=True) if seed is True else seed_everything(seed, workers=True)
        # the saved config records the seed that was actually used
        target = self.config[self.subcommand] if self.subcommand else self.config
        target["seed_everything"] = seed

    def _add_instantiators(self) -> None:
        for key, cls, subclasses in (("model", self._model_class, self.subclass_mode_model),
                                     ("data", self._datamodule_class, self.subclass_mode_data)):
            self.parser.add_instantiator(_InstantiatorFn(cli=self, key=key), _get_module_type(cls),
                                         subclasses=subclasses)

    def _dump_config(self) -> None:
        if hasattr(self, "config_dump"):
            return
        dumped = self.parser.dump(self.config, skip_link_targets=False, skip_none=False, format="yaml")
        self.config_dump = yaml.safe_load(dumped)
        if "subcommand" in self.config:
            self.config_dump = self.config_dump[self.config.subcommand]

    def before_instantiate_classes(self) -> None:
        """Override to run code after parsing, before the classes are built."""

    def instantiate_classes(self) -> None:
        """Build the datamodule, model and trainer from ``self.config`` (``self.config_init`` holds the objects)."""
        self.config_init = self.parser.instantiate_classes(self.config)
        self.datamodule = self._get(self.config_init, "data")
        self.model = self._get(self.config_init, "model")
        self._add_configure_optimizers_method_to_model(self.subcommand)
        self.trainer = self.instantiate_trainer()

    def after_instantiate_classes(self) -> None:
        """Override to run code after the classes are built, before the subcommand runs."""

    def instantiate_trainer(self, **kwargs: Any) -> Trainer:
        """Build the Trainer from its config, ``kwargs`` overriding it, with the callbacks the CLI adds."""
        callbacks = [self._get(self.config_init, key) for key in self._parser(self.subcommand).callback_keys]
        config = {**self._get(self.config_init, "trainer", default={}), **kwargs}
        return self._instantiate_trainer(config, callbacks)

    def _instantiate_trainer(self, config: dict[str, Any], callbacks: list[Callback]) -> Trainer:
        if "callbacks" not in config:
            rank_zero_warn(
                f"`{self.trainer_class.__qualname__}` has no `callbacks` argument, so the CLI's callbacks (config "
                "saving, callbacks added with add_lightning_class_args, trainer_defaults['callbacks']) are not used."
            )
            return self.trainer_class(**config)
        given = config["callbacks"]
        config["callbacks"] = [] if given is None else list(given) if isinstance(given, list) else [given]
        config["callbacks"].extend(callbacks)
        fixed = self.trainer_defaults.get("callbacks")
        if fixed is not None:
            config["callbacks"].extend(fixed if isinstance(fixed, list) else [fixed])
        if self.save_config_callback and not config.get("fast_dev_run", False):
            config["callbacks"].append(self.save_config_callback(
                self._parser(self.subcommand), self.config.get(str(self.subcommand), self.config),
                **self.save_config_kwargs,
            ))
        return self.trainer_class(**config)

    def _parser(self, subcommand: Optional[str]) -> LightningArgumentParser:
        return self.parser if subcommand is None else self._subcommand_parsers[subcommand]

    def _get(self, config: Namespace, key: str, default: Optional[Any] = None) -> Any:
        """``config[key]``, looked up inside the subcommand's namespace when there is one."""
        return config.get(str(self.subcommand), config).get(key, default)

    # -- optimizers --------------------------------------------------------------------------------------------------
    @staticmethod
    def configure_optimizers(lightning_module: LightningModule, optimizer: Optimizer,
                             lr_scheduler: Optional[LRSchedulerTypeUnion] = None) -> Any:
        """What the model's ``configure_optimizers`` returns when ``--optimizer`` is given; override to change it.

        Args:
            lightning_module: The model.
            optimizer: The optimizer built from ``--optimizer``.
            lr_scheduler: The scheduler built from ``--lr_scheduler``, if any.
        """
        if lr_scheduler is None:
            return optimizer
        if isinstance(lr_scheduler, ReduceLROnPlateau):
            return {"optimizer": optimizer, "lr_scheduler": {"scheduler": lr_scheduler,
                                                             "monitor": lr_scheduler.monitor}}
        return [optimizer], [lr_scheduler]

    def _add_configure_optimizers_method_to_model(self, subcommand: Optional[str]) -> None:
        """Replace the model's ``configure_optimizers`` when one AUTOMATIC optimizer group was given a value."""
        if not self.auto_configure_optimizers:
            return
        parser = self._parser(subcommand)
        optimizers = _automatic_keys(parser._optimizers, (Optimizer,))
        schedulers = _automatic_keys(parser._lr_schedulers, LRSchedulerTypeTuple)
        if not optimizers:
            return
        if len(optimizers) > 1 or len(schedulers) > 1:
            raise MisconfigurationException(
                f"`{type(self).__name__}` can build `configure_optimizers` from one AUTOMATIC optimizer and at most "
                f"one AUTOMATIC lr_scheduler, but found {optimizers + schedulers}. Give the extra groups a `link_to` "
                "target and implement `configure_optimizers` in the model."
            )
        optimizer_init = self._init_config(parser._optimizers[optimizers[0]][0], optimizers[0])
        if not optimizer_init:
            return  # the group exists but the user gave no optimizer
        scheduler_init = self._init_config(parser._lr_schedulers[schedulers[0]][0], schedulers[0]) \
            if schedulers else None
        if is_overridden("configure_optimizers", self.model):
            rank_zero_warn(
                f"`{type(self.model).__name__}.configure_optimizers` is replaced by "
                f"`{type(self).__name__}.configure_optimizers` because --{optimizers[0]} was given."
            )
        optimizer = instantiate_class(self.model.parameters(), optimizer_init)
        scheduler = instantiate_class(optimizer, scheduler_init) if scheduler_init else None
        method = partial(self.configure_optimizers, optimizer=optimizer, lr_scheduler=scheduler)
        update_wrapper(method, self.configure_optimizers)  # so is_overridden sees the replacement
        self.model.configure_optimizers = MethodType(method, self.model)

    def _init_config(self, class_type: Union[type, tuple[type, ...]], key: str) -> Any:
        init = self._get(self.config_init, key)
        if isinstance(class_type, tuple):
            return init
        return _with_class_path(class_type, init)

    # -- running -----------------------------------------------------------------------------------------------------
    def _run_subcommand(self, subcommand: str) -> None:
        before = getattr(self, f"before_{subcommand}", None)
        if callable(before):
            before()
        method = getattr(self, subcommand, getattr(self.trainer, subcommand))
        method(**self._prepare_subcommand_kwargs(subcommand))
        after = getattr(self, f"after_{subcommand}", None)
        if callable(after):
            after()

    def _prepare_subcommand_kwargs(self, subcommand: str) -> dict[str, Any]:
        accepted = self._subcommand_method_arguments[subcommand]
        kwargs = {k: v for k, v in self.config_init[subcommand].items() if k in accepted}
        kwargs["model"] = self.model
        if self.datamodule is not None:
            kwargs["datamodule"] = self.datamodule
        return kwargs


def _automatic_keys(register: dict[str, tuple[Union[type, tuple[type, ...]], str]],
                    bases: tuple[type, ...]) -> list[str]:
    keys = []
    for key, (classes, link_to) in register.items():
        classes = classes if isinstance(classes, tuple) else (classes,)
        if link_to == "AUTOMATIC" and any(issubclass(c, bases) for c in classes):
            keys.append(key)
    return keys


def _with_class_path(class_type: type, init_args: Optional[Union[Namespace, dict[str, Any]]] = None) -> dict[str, Any]:
    if _JSONARGPARSE_AVAILABLE and isinstance(init_args, Namespace):
        init_args = init_args.as_dict()
    return {"class_path": f"{class_type.__module__}.{class_type.__name__}", "init_args": init_args or {}}


def instantiate_class(args: Union[Any, tuple[Any, ...]], init: dict[str, Any]) -> Any:
    """Build ``init["class_path"]`` with ``args`` (one value or a tuple) as positional arguments and
    ``init["init_args"]`` as keyword arguments.

    Args:
        args: Positional argument(s), e.g. the model parameters for an optimizer.
        init: ``{"class_path": "package.module.Class", "init_args": {...}}``.

    Returns:
        The new object.
    """
    module_name, _, class_name = init["class_path"].rpartition(".")
    if not module_name:
        raise ValueError(f"class_path {init['class_path']!r} must be a dotted path like 'torch.optim.SGD'.")
    module = __import__(module_name, fromlist=[class_name])
    cls = getattr(module, class_name)
    return cls(*(args if isinstance(args, tuple) else (args,)), **init.get("init_args", {}))


def _get_short_description(component: object) -> Optional[str]:
    if component.__doc__ is None:
        return None
    try:
        return docstring_parser.parse(component.__doc__).short_description
    except (ValueError, docstring_parser.ParseError) as err:
        rank_zero_warn(f"Could not parse the docstring of {component}: {err}")
        return None


def _get_module_type(value: Union[Callable, type]) -> type:
    if callable(value) and not isinstance(value, type):
        return inspect.signature(value).return_annotation
    return value


def _set_dict_nested(data: dict, key: str, value: Any) -> None:
    *parents, last = key.split(".")
    for part in parents:
        data = data[part]
    data[last] = value


_INSTANTIATOR_PATH = "lightning.pytorch.cli.instantiate_module"


@contextmanager
def _given_hyperparameters_context(hparams: dict, instantiator: str) -> Iterator[None]:
    """While active, ``save_hyperparameters`` records ``hparams`` (plus the ``_instantiator`` that can rebuild the
    object) instead of the ``__init__`` frame's arguments."""
    from lightning.pytorch.core.mixins.hparams_mixin import _given_hyperparameters

    token = _given_hyperparameters.set({**hparams, "_instantiator": instantiator})
    try:
        yield
    finally:
        _given_hyperparameters.reset(token)


class _InstantiatorFn:
    """Builds the model / datamodule for jsonargparse so that its hyperparameters are the parsed config."""

    def __init__(self, cli: LightningCLI, key: str) -> None:
        self.cli = cli
        self.key = key

    def __call__(self, class_type: type[ModuleType], *args: Any, applied_instantiation_links: dict,
                 **kwargs: Any) -> ModuleType:
        self.cli._dump_config()
        hparams = self.cli.config_dump.get(self.key, {})
        if "class_path" in hparams:
            # flat like the non-subclass case, with the class kept aside under `_class_path`
            hparams = {"_class_path": hparams["class_path"], **hparams.get("init_args", {}),
                       **hparams.get("dict_kwargs", {})}
        prefix = f"{self.key}."
        for target, value in applied_instantiation_links.items():
            if target.startswith(prefix):
                target = target[len(prefix):]
                target = target[len("init_args."):] if target.startswith("init_args.") else target
                _set_dict_nested(hparams, target, value)
        with _given_hyperparameters_context(hparams=hparams, instantiator=_INSTANTIATOR_PATH):
            return class_type(*args, **kwargs)


def instantiate_module(class_type: type[ModuleType], config: dict[str, Any]) -> ModuleType:
    """Rebuild a module from the hyperparameters a LightningCLI run saved (used by ``load_from_checkpoint``)."""
    _require_jsonargparse()
    parser = ArgumentParser(exit_on_error=False)
    if "_class_path" in config:
        parser.add_subclass_arguments(class_type, "module", fail_untyped=False)
        config = {"class_path": config["_class_path"],
                  "dict_kwargs": {k: v for k, v in config.items() if k != "_class_path"}}
    else:
        parser.add_class_arguments(class_type, "module", fail_untyped=False)
    return parser.instantiate_classes(parser.parse_object({"module": config})).module
