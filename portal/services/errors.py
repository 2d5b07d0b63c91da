"""Typed errors that services raise and the web layer maps to pages or form errors."""

from __future__ import annotations


class ServiceError(Exception):
    """Base class. `field` names the form field the message belongs to, if any."""

    status_code = 400

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotFoundError(ServiceError):
    status_code = 404


class PermissionDeniedError(ServiceError):
    status_code = 403


class ConflictError(ServiceError):
    """The request clashes with the current state (e.g. a duplicate, or an out-of-order step)."""

    status_code = 409


class ValidationError(ServiceError):
    status_code = 400
