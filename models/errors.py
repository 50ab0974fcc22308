"""The one error hierarchy. Messages are English msgids with {placeholders}; they are shown in
the user's language through the translation catalogue (models/i18n.py)."""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    """A failure a user can meet; `status_code` says how the web layer answers it."""

    status_code = 400

    # Positional-only, so a message may name its own {field} placeholder.
    def __init__(self, field: str | None, msgid: str, /, **params: Any) -> None:
        super().__init__(msgid.format(**params) if params else msgid)
        self.field = field
        self.msgid = msgid
        self.params = params


class InvalidError(AppError):
    """Bad input: nothing was changed."""

    status_code = 400


class NotFoundError(AppError):
    status_code = 404


class ForbiddenError(AppError):
    status_code = 403


class ConflictError(AppError):
    """The input was fine but the state forbids it (a duplicate, a full vacancy)."""

    status_code = 409


class ValidationErrors(InvalidError):
    """Several field errors at once (a form, or a row of an import)."""

    def __init__(self, errors: list[AppError]) -> None:
        super().__init__(None, "The form has errors.")
        self.errors = errors


class RowError(InvalidError):
    """An error at one item of a batch the API received: `pointer` (RFC 6901, for example
    `/items/3/citizen_id`) says where; `field` names the item's member."""

    def __init__(self, pointer: str, field: str | None, msgid: str, /, **params: Any) -> None:
        super().__init__(field, msgid, **params)
        self.pointer = pointer


class BatchRefused(ValidationErrors):
    """A batch with errors in some of its rows (RowErrors): nothing of it was written."""

    def __init__(self, errors: list[AppError], *, rows: int) -> None:
        super().__init__(errors)
        self.msgid = "Nothing was written: {rows} items of the batch have errors."
        self.params = {"rows": rows}


class NotSignedInError(AppError):
    """The page needs a signed-in user: pages redirect to the sign-in form."""

    status_code = 401


class ThrottledError(AppError):
    """Too many attempts in a short time (failed sign-ins)."""

    status_code = 429


class PasswordChangeRequiredError(ForbiddenError):
    """The account's password was reset: pages lead to choosing a new one first."""
