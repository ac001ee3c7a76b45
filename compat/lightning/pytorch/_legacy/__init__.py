"""1.x support, in one package: what gives ``pytorch-lightning`` 1.x code (old Trainer arguments and attributes,
removed module API, old hooks and signatures, several optimizers in automatic optimization) its 1.x meaning.

The 2.x code reaches it only through the named extension points of :mod:`lightning.pytorch._extensions` (and the
``pytorch_lightning`` namespace, which sits on top); ``tests/architecture/test_legacy_boundary.py`` enforces that.
It never imports ``pytorch_lightning``. Modules (docs/legacy.md has the table):

* ``usage``: reporting (``LegacyUsageWarning``, strict mode) and the "is this 1.x code?" verdicts;
* ``trainer_args`` / ``trainer_translation``: ``Trainer(...)`` and callback/logger constructor arguments;
* ``trainer_api`` / ``module_api``: removed Trainer, LightningModule and LightningDataModule members;
* ``argparse``: the 1.x argparse helpers (also ``pytorch_lightning.utilities.argparse``);
* ``hooks`` / ``multi_optimizer``: 1.x hooks and signatures, and the 1.x multi-optimizer loop, set up per run.
"""
