"""Rewrite rules, one module per family; each module registers its rules with `engine.register`."""
