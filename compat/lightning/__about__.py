"""Version of the Lightning API this package implements (what checkpoints record as the producer)."""
__version__ = "2.6.6"
