"""``lightning.pytorch.loops.loop``: 2.6.6's path of the loop base class, which is private there (``_Loop``).

The loops here are plain state holders driven top to bottom by the Trainer (see ``training_epoch_loop``); this
module exists so that imports of the path keep working."""
__all__: list = []
