"""String enums the engine and the Trainer share: ``LightningEnum``, a ``str`` enum that compares with plain
strings case-insensitively (the Trainer's option enums subclass it)."""
from enum import Enum

__all__ = ["LightningEnum"]


class LightningEnum(str, Enum):
    """A string enum comparable to plain strings, case-insensitively."""

    @classmethod
    def from_str(cls, value: str, source: str = "key") -> "LightningEnum":
        for member in cls:
            if value.lower() == (member.name if source == "key" else member.value).lower():
                return member
        raise ValueError(f"Invalid match: expected one of {[m.value for m in cls]}, but got {value}.")

    def __eq__(self, other: object) -> bool:
        other = other.value if isinstance(other, Enum) else str(other)
        return self.value.lower() == other.lower()

    def __hash__(self) -> int:
        return hash(self.value.lower())
