"""apifit: API fit assessments with executable, recorded checks."""

from apifit.errors import ApifitError, InputError

__all__ = ["ApifitError", "InputError"]
