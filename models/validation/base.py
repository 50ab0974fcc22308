"""What every validator shares: warnings that do not block, and collecting the errors of a
whole form or import row so the user sees all of them at once."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any, ParamSpec, TypeVar

from models.errors import AppError, InvalidError, ValidationErrors
from models.ids import INT_MAX

P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True)
class FieldWarning:
    """Something worth a second look that does not stop the save (an unknown province code
    in an ID number). Translated like an error: `i18n.message_for(warning, lang)`."""

    field: str
    msgid: str
    params: dict[str, Any] = dataclass_field(default_factory=dict)


class ErrorCollector:
    """Runs validators one after another and keeps each failure instead of stopping at the
    first, then raises them together as one ValidationErrors."""

    def __init__(self) -> None:
        self.errors: list[AppError] = []

    def check(self, validator: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T | None:
        """The validator's result, or None after recording why it failed."""
        try:
            return validator(*args, **kwargs)
        except InvalidError as error:
            self.add(error)
            return None

    def add(self, error: AppError) -> None:
        if isinstance(error, ValidationErrors):
            self.errors.extend(error.errors)
        else:
            self.errors.append(error)

    def has_error(self, field_name: str) -> bool:
        return any(error.field == field_name for error in self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationErrors(list(self.errors))


@contextmanager
def collect() -> Iterator[ErrorCollector]:
    """`with collect() as errors: name = errors.check(validate_full_name, raw)` — on leaving
    the block, raise ValidationErrors if any check failed."""
    collector = ErrorCollector()
    yield collector
    collector.raise_if_any()


def clean_text(value: object) -> str:
    """Input as NFC text with runs of whitespace collapsed (None becomes "")."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    return " ".join(text.split())


def require_text(value: object, field_name: str) -> str:
    text = clean_text(value)
    if not text:
        raise InvalidError(field_name, "This field is required.")
    return text


def stored_whole(value: int | str, field_name: str, maximum: int = INT_MAX) -> int:
    """A whole number a form or sheet gave (an int, or text of ASCII digits with an optional
    minus, checked by the caller) as an int an integer column can keep. Beyond it, however
    many digits: "too large", naming the field (text is measured before `int()`, which
    refuses more than 4300 digits)."""
    if isinstance(value, str):
        digits = value.strip().removeprefix("-")
        if len(digits.lstrip("0")) > len(str(maximum)):
            raise InvalidError(field_name, "This number is too large: at most {max}.", max=maximum)
        value = int(value)
    if not -maximum <= value <= maximum:
        raise InvalidError(field_name, "This number is too large: at most {max}.", max=maximum)
    return value
