"""Limits read from where they are declared, a model's field (`max_length`, `ge`, `le`), so a
form, an import column and the table they fill share one number."""

from __future__ import annotations

from typing import Any, get_args

from pydantic import BaseModel

from models.errors import InvalidError


def _constraint(metadata: list[Any], name: str) -> Any:
    for item in metadata:
        value = getattr(item, name, None)
        if value is not None:
            return value
    return None


def _declared(model: type[BaseModel], field: str, constraint: str) -> int:
    value = _constraint(model.model_fields[field].metadata, constraint)
    if not isinstance(value, int):
        raise LookupError(f"{model.__name__}.{field} declares no {constraint}")
    return value


def max_length(model: type[BaseModel], field: str) -> int:
    """The `max_length` declared on the model's field (a text's characters, a list's items)."""
    return _declared(model, field, "max_length")


def item_max_length(model: type[BaseModel], field: str) -> int:
    """The `max_length` declared on the items of a list field: `list[Annotated[str, ...]]`."""
    (item,) = get_args(model.model_fields[field].annotation)
    value = _constraint(list(getattr(item, "__metadata__", ())), "max_length")
    if not isinstance(value, int):
        raise LookupError(f"{model.__name__}.{field} declares no item max_length")
    return value


def bounds(model: type[BaseModel], field: str) -> tuple[int, int]:
    """The lowest (`ge`) and highest (`le`) whole number the model's field accepts."""
    return _declared(model, field, "ge"), _declared(model, field, "le")


def check_length(
    text: str, limit: int, field: str, msgid: str = "At most {max} characters."
) -> str:
    """The text if it has at most `limit` characters; else InvalidError(field, msgid)."""
    if len(text) > limit:
        raise InvalidError(field, msgid, max=limit)
    return text
