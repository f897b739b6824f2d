"""The base of domain errors that carry bad input back to whoever sent it.

The domain raises its own subclasses (an ingest batch's refused reading, ...); the API answers each with a
400 whose body is the error's `details()`, without knowing the domain.
"""


class InputRefused(ValueError):
    """Input refused by the domain; `str(error)` is the message, `details()` the fields that locate it."""

    def details(self) -> dict:
        return {}
