"""``fx_validator``: which hooks may call ``self.log`` with which options (2.6.6's ``_FxValidator``, private there;
the checks live in :mod:`lightning.pytorch.trainer.results`)."""
__all__: list = []
