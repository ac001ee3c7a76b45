"""``callback_connector``: 2.6.6's helper that adds the default callbacks (private there; see
:mod:`lightning.pytorch.trainer.defaults`)."""
__all__: list = []
