"""The exception Lightning raises for a configuration that cannot work."""


class MisconfigurationException(Exception):
    """The arguments, hooks or environment do not fit together; the message says what to change."""
