"""1.x LightningModule methods and attributes that 2.x removed, owned by the legacy layer.

``LightningModule`` inherits from :class:`LegacyModuleAPI`; each name warns with its 2.x spelling, or raises in
strict mode like Lightning 2.x.
"""


class LegacyModuleAPI:
    """Mixin of LightningModule holding the removed 1.x API."""
