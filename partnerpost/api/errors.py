"""The API's errors. Each becomes {"detail": "...", "errors": {field: [messages]}} with its status."""

from __future__ import annotations


class ApiError(Exception):
    status = 400

    def __init__(self, detail: str, errors: dict[str, list[str]] | None = None, *, status: int | None = None, headers=None):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}
        if status is not None:
            self.status = status

    def body(self) -> dict:
        return {"detail": self.detail, "errors": self.errors}


class BadRequest(ApiError):
    status = 400


class NotAuthenticated(ApiError):
    status = 401


class NotFound(ApiError):
    status = 404


class Conflict(ApiError):
    """The item is in a state that does not allow the change."""

    status = 409


class InvalidInput(ApiError):
    status = 422

    def __init__(self, errors: dict[str, list[str]], detail: str | None = None):
        fields = ", ".join(sorted(errors))
        super().__init__(detail or f"Some fields are not valid: {fields}.", errors)


class RateLimited(ApiError):
    status = 429
