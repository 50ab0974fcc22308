"""Read graduates and vacancies from JSON Lines files, one profile per line.

Every problem is reported with the file, the 1-based line number and what is wrong, in
Vietnamese first with the English in brackets; nothing is returned from a file with an error.
Unknown fields are ignored; missing optional fields take their empty value.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from matching.profiles import (
    LEVELS,
    LOCATION_KINDS,
    WORK_SCOPES,
    GraduateProfile,
    Location,
    VacancyProfile,
)

T = TypeVar("T", GraduateProfile, VacancyProfile)


class InputError(ValueError):
    """A bad input line: ``path``, ``line`` (1-based; 0 for the whole file) and ``message``."""

    def __init__(self, path: str, line: int, message: str) -> None:
        self.path, self.line, self.message = path, line, message
        where = f"dòng {line}: " if line else ""
        super().__init__(f"{path}: {where}{message}")


class _Bad(Exception):
    """A field problem, turned into an :class:`InputError` with the line number."""


def _text(record: dict[str, Any], name: str) -> str:
    value = record.get(name)
    if value is None:
        return ""
    if not isinstance(value, str | int):
        raise _Bad(f"trường '{name}' phải là chuỗi ({name} must be a string)")
    return str(value)


def _optional_text(record: dict[str, Any], name: str) -> str | None:
    return _text(record, name) or None


def _integer(record: dict[str, Any], name: str, minimum: int | None = 0) -> int | None:
    value = record.get(name)
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Bad(f"trường '{name}' phải là số nguyên ({name} must be an integer): {value!r}")
    if minimum is not None and value < minimum:
        raise _Bad(f"trường '{name}' không được âm ({name} must not be negative): {value}")
    return value


def _date(record: dict[str, Any], name: str) -> date | None:
    value = record.get(name)
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _Bad(
            f"ngày không hợp lệ ở trường '{name}': {value!r} (bad date, expected YYYY-MM-DD)"
        ) from None


def _strings(record: dict[str, Any], name: str) -> tuple[str, ...]:
    value = record.get(name)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _Bad(f"trường '{name}' phải là danh sách chuỗi ({name} must be a list of strings)")
    return tuple(value)


def _level(record: dict[str, Any], name: str) -> str | None:
    value = record.get(name)
    if value is None or value == "":
        return None
    if value not in LEVELS:
        raise _Bad(
            f"trình độ không hợp lệ {value!r} ở trường '{name}' "
            f"(unknown level; expected one of {', '.join(LEVELS)})"
        )
    return str(value)


def _commune(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:05d}"
    if not isinstance(value, str):
        raise _Bad(f"mã xã phải là chuỗi (commune_code must be a string): {value!r}")
    return value


def _id(record: dict[str, Any]) -> str:
    value = record.get("id")
    if value is None or value == "" or isinstance(value, bool):
        raise _Bad("thiếu mã 'id' (missing id)")
    if not isinstance(value, str | int):
        raise _Bad(f"mã 'id' phải là chuỗi (id must be a string): {value!r}")
    return str(value)


def graduate_from_record(record: dict[str, Any]) -> GraduateProfile:
    """A :class:`GraduateProfile` from one decoded JSON object (raises on bad fields)."""
    willing = _strings(record, "willing_to_work")
    unknown = [w for w in willing if w not in WORK_SCOPES]
    if unknown:
        raise _Bad(
            f"phạm vi làm việc không hợp lệ {unknown} "
            f"(unknown willing_to_work; expected {', '.join(WORK_SCOPES)})"
        )
    return GraduateProfile(
        id=_id(record),
        occupation=_text(record, "occupation"),
        occupation_code=_optional_text(record, "occupation_code"),
        level=_level(record, "level"),
        skills=_strings(record, "skills"),
        commune_code=_commune(record.get("commune_code")),
        birth_year=_integer(record, "birth_year"),
        willing_to_work=willing,
        expected_wage=_integer(record, "expected_wage"),
        available_from=_date(record, "available_from"),
        order_id=_optional_text(record, "order_id"),
        graduated_on=_date(record, "graduated_on"),
    )


def _location(record: dict[str, Any]) -> Location:
    value = record.get("location")
    if not isinstance(value, dict):
        raise _Bad("thiếu hoặc sai nơi làm việc 'location' (missing or invalid location)")
    kind = value.get("kind")
    if kind not in LOCATION_KINDS:
        raise _Bad(
            f"loại nơi làm việc không hợp lệ {kind!r} "
            f"(unknown location kind; expected {', '.join(LOCATION_KINDS)})"
        )
    commune = _commune(value.get("commune_code"))
    if kind == "commune" and commune is None:
        raise _Bad("việc làm tại xã nhưng thiếu mã xã (commune location without commune_code)")
    return Location(
        kind, commune, _optional_text(value, "province"), _optional_text(value, "country")
    )


def _vacancy_numbers(record: dict[str, Any]) -> dict[str, int | None]:
    numbers = {
        name: _integer(record, name) for name in ("wage_min", "wage_max", "age_min", "age_max")
    }
    low, high = numbers["wage_min"], numbers["wage_max"]
    if low is not None and high is not None and low > high:
        raise _Bad("mức lương tối thiểu lớn hơn mức tối đa (wage_min > wage_max)")
    young, old = numbers["age_min"], numbers["age_max"]
    if young is not None and old is not None and young > old:
        raise _Bad("độ tuổi tối thiểu lớn hơn độ tuổi tối đa (age_min > age_max)")
    quantity = _integer(record, "quantity", minimum=None)
    if quantity is not None and quantity < 1:
        raise _Bad(f"số lượng cần tuyển phải lớn hơn 0 (quantity must be positive): {quantity}")
    numbers["quantity"] = 1 if quantity is None else quantity
    return numbers


def vacancy_from_record(record: dict[str, Any]) -> VacancyProfile:
    """A :class:`VacancyProfile` from one decoded JSON object (raises on bad fields)."""
    numbers = _vacancy_numbers(record)
    return VacancyProfile(
        id=_id(record),
        employer_id=_text(record, "employer_id"),
        title=_text(record, "title"),
        description=_text(record, "description"),
        occupation_code=_optional_text(record, "occupation_code"),
        required_level=_level(record, "required_level"),
        skills=_strings(record, "skills"),
        location=_location(record),
        wage_min=numbers["wage_min"],
        wage_max=numbers["wage_max"],
        quantity=numbers["quantity"] or 1,
        age_min=numbers["age_min"],
        age_max=numbers["age_max"],
        start_date=_date(record, "start_date"),
        order_id=_optional_text(record, "order_id"),
    )


def _lines(path: str) -> Iterator[tuple[int, str]]:
    try:
        with open(path, encoding="utf-8") as handle:
            yield from enumerate(handle, start=1)
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(path, 0, f"không đọc được tệp (cannot read file: {error})") from None


def _read(path: Path | str, convert: Callable[[dict[str, Any]], T]) -> list[T]:
    path = str(path)
    profiles: list[T] = []
    seen: dict[str, int] = {}
    for number, line in _lines(path):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            message = f"JSON không hợp lệ (malformed JSON: {error.msg})"
            raise InputError(path, number, message) from None
        if not isinstance(record, dict):
            raise InputError(path, number, "mỗi dòng phải là một đối tượng JSON (not an object)")
        try:
            profile = convert(record)
        except (_Bad, ValueError) as error:
            raise InputError(path, number, str(error)) from None
        if profile.id in seen:
            raise InputError(
                path, number, f"mã {profile.id!r} trùng với dòng {seen[profile.id]} (duplicate id)"
            )
        seen[profile.id] = number
        profiles.append(profile)
    return profiles


def read_graduates(path: Path | str) -> list[GraduateProfile]:
    """Graduates from a JSON Lines file; raises :class:`InputError` on the first bad line."""
    return _read(path, graduate_from_record)


def read_vacancies(path: Path | str) -> list[VacancyProfile]:
    """Vacancies from a JSON Lines file; raises :class:`InputError` on the first bad line."""
    return _read(path, vacancy_from_record)
