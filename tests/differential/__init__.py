"""Differential testing: seeded scenarios run under ours and under the real Lightning, compared side by side."""
