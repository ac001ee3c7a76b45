"""Small string enums of the Trainer's public options."""
from enum import Enum


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


class GradClipAlgorithmType(LightningEnum):
    VALUE = "value"
    NORM = "norm"

    @staticmethod
    def supported_type(val: str) -> bool:
        return any(x.value == val for x in GradClipAlgorithmType)

    @staticmethod
    def supported_types() -> list[str]:
        return [x.value for x in GradClipAlgorithmType]
