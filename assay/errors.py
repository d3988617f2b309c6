"""Errors that mean the user's input or configuration is wrong (the CLI prints them in one line, exit 2)."""


class InputError(ValueError):
    """A path holds nothing to judge or does not exist, an argument does not validate, a name resolves to
    nothing."""
