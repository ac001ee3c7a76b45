"""Small string enums of the Trainer's public options."""
from lightning.fabric.utilities.enums import LightningEnum


class GradClipAlgorithmType(LightningEnum):
    VALUE = "value"
    NORM = "norm"

    @staticmethod
    def supported_type(val: str) -> bool:
        return any(x.value == val for x in GradClipAlgorithmType)

    @staticmethod
    def supported_types() -> list[str]:
        return [x.value for x in GradClipAlgorithmType]
