"""The exception hierarchy of Orion; every error a user can cause has a readable message."""

from __future__ import annotations

from typing import Any


class OrionError(Exception):
    """Base of every domain error: ``message`` is shown to the user, ``status`` for HTTP."""

    status: int = 400
    code: str = "error"
    worded_for_people: bool = False
    """The message is already in the user's language and says what to do (a locked feature,
    a read-only store): pages show it as it is instead of the status's general sentence."""

    def __init__(self, message: str, *, field: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details

    def headers(self) -> dict[str, str]:
        """HTTP headers the answer carries (``Retry-After``, say)."""
        return {}

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"error": self.code, "message": self.message}
        if self.field:
            body["field"] = self.field
        if self.details:
            body["details"] = self.details
        return body


class NotFoundError(OrionError):
    """The thing asked for does not exist (or is not visible to this user)."""

    status = 404
    code = "not_found"


class ValidationError(OrionError):
    """Input that breaks a rule; ``field`` names the input."""

    status = 422
    code = "validation_error"

    def to_dict(self) -> dict[str, Any]:
        """Adds ``fields`` (``[{"field", "message"}]``) so every 422 of the API has the shape of
        the framework's request validation, whichever layer found the problem."""
        body = super().to_dict()
        problems = self.details.get("problems")
        if isinstance(problems, list) and problems and all(isinstance(p, dict) and p.get("field") for p in problems):
            body["fields"] = [{"field": p["field"], "message": p.get("message") or self.message} for p in problems]
        elif self.field:
            body["fields"] = [{"field": self.field, "message": self.message}]
        return body


class ConflictError(OrionError):
    """The change clashes with existing data (a duplicate code, say)."""

    status = 409
    code = "conflict"


class PermissionDeniedError(OrionError):
    """The user may not do this."""

    status = 403
    code = "forbidden"


class AuthenticationError(OrionError):
    """Not signed in, or wrong credentials."""

    status = 401
    code = "unauthenticated"


class TooManyAttemptsError(OrionError):
    """Too many failed attempts in a short time; ``retry_after`` says how many seconds to wait."""

    status = 429
    code = "too_many_attempts"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, retry_after=retry_after)
        self.retry_after = retry_after

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class BusyError(OrionError):
    """The server is doing as much of this work at once as it safely can; try again shortly."""

    status = 503
    code = "busy"

    def headers(self) -> dict[str, str]:
        return {"Retry-After": "5"}
