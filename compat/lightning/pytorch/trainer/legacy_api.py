"""1.x Trainer methods and attributes (``trainer.tune()``, ``num_gpus``, ``root_gpu`` ...), owned by the legacy layer.

``Trainer`` inherits from :class:`LegacyTrainerAPI`; each name here warns with its 2.x spelling, or raises in strict
mode like Lightning 2.x.
"""


class LegacyTrainerAPI:
    """Mixin of the Trainer holding the removed 1.x API."""
