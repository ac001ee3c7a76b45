"""``checkpoint_connector``: 2.6.6's checkpoint save/restore helper (private there; see
:mod:`lightning.pytorch.trainer.checkpointing`)."""
__all__: list = []
