"""One-line Vietnamese explanation of a match, for pages and exports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

LEVEL_LABELS = {
    "duoi_3_thang": "đào tạo dưới 3 tháng",
    "so_cap": "sơ cấp",
    "trung_cap": "trung cấp",
    "cao_dang": "cao đẳng",
}
# A text similarity at least this high reads as "the trade fits the job ad".
TEXT_FITS = 0.5
INELIGIBLE = {
    "age": "Không phù hợp: ngoài độ tuổi tuyển dụng",
    "timing": "Không phù hợp: chưa thể đi làm kịp ngày bắt đầu",
}


@dataclass(frozen=True)
class Facts:
    """What the explanation says, already decided from the components and profiles."""

    relation: str  # "same", "related" or "" (explicit occupation codes)
    occupation_name: str  # the vacancy's catalogue occupation, else the graduate's
    occupation_fits: bool  # occupation component ≥ TEXT_FITS
    occupation_full: bool  # occupation component = 1
    trained: bool  # the graduate names a trade or an occupation code
    matched: tuple[str, ...]
    missing: tuple[str, ...]
    level_short: str | None  # the required level, when the graduate is below it
    own_commune: bool
    unwilling: bool  # the place lies outside the scopes the graduate stated
    wage: str  # "" (unknown), "ok" or "low"
    delay: int
    linked: bool  # trained under the vacancy's training order
    ineligible: str | None  # "age", "timing" or None
    level_held: str | None = None  # the graduate's level, when it meets the one asked
    graduated_on: date | None = None  # when the training ended, if known
    wage_room: int = 0  # percent by which the offer exceeds the expectation
    language: str = ""  # "met", "short", "unmet" or "" (no language asked)
    certificate: str = ""  # the certificate asked ("JLPT N4"), when one is
    km: int | None = None  # home to a job elsewhere in the province, when both points known


def _occupation(relation: str, name: str, fits: bool, full: bool, trained: bool) -> str:
    if relation == "same":
        return f"Đúng nghề {name}" if name else "Đúng nghề"
    if relation == "related" and not full:
        return f"Nghề gần với {name}" if name else "Nghề gần"
    if fits:
        return "Nghề đào tạo phù hợp với tin tuyển dụng"
    return "Khác nghề đào tạo" if trained else "Chưa qua đào tạo nghề"


def skills_phrase(matched: tuple[str, ...], missing: tuple[str, ...]) -> str | None:
    """ "đủ 3 kỹ năng yêu cầu" or "có 1/3 kỹ năng (thiếu: a, b, …)"; None without skills."""
    required = len(matched) + len(missing)
    if not required:
        return None
    if not missing:
        return f"đủ {required} kỹ năng yêu cầu"
    shown = ", ".join(missing[:2]) + (", …" if len(missing) > 2 else "")
    return f"có {len(matched)}/{required} kỹ năng (thiếu: {shown})"


_LANGUAGE = {
    "met": "có ngoại ngữ theo yêu cầu ({certificate})",
    "short": "ngoại ngữ thấp hơn yêu cầu một bậc ({certificate})",
    "unmet": "chưa có ngoại ngữ theo yêu cầu ({certificate})",
}
_WAGE = {"ok": "lương đáp ứng mong muốn", "low": "lương thấp hơn mong muốn"}


def sentence(f: Facts, skills: str | None) -> str:
    """The explanation of ``f`` with its skills phrase already built."""
    if f.ineligible:
        return INELIGIBLE[f.ineligible]
    parts = [
        _occupation(f.relation, f.occupation_name, f.occupation_fits, f.occupation_full, f.trained),
        skills,
    ]
    language = _LANGUAGE.get(f.language)
    if language:
        parts.append(language.format(certificate=f.certificate))
    if f.level_short:
        parts.append(f"trình độ thấp hơn yêu cầu ({LEVEL_LABELS[f.level_short]})")
    elif f.level_held:
        parts.append(f"trình độ {LEVEL_LABELS[f.level_held]}")
    if f.graduated_on:
        parts.append(f"tốt nghiệp ngày {f.graduated_on:%d/%m/%Y}")
    if f.own_commune:
        parts.append("làm việc ngay tại xã")
    elif f.unwilling:
        parts.append("nơi làm việc ngoài mong muốn")
    elif f.km is not None:
        parts.append(f"nơi làm việc cách nhà khoảng {f.km} km")
    wage = _WAGE.get(f.wage)
    if wage and f.wage_room > 0:
        wage += f" (đề nghị cao hơn {f.wage_room} %)"
    parts.append(wage)
    if f.delay > 0:
        parts.append(f"có thể đi làm sau ngày bắt đầu {f.delay} ngày")
    if f.linked:
        parts.append("học theo đơn đặt hàng của đơn vị tuyển dụng")
    return "; ".join(p for p in parts if p)


def explain(facts: Facts) -> str:
    """A short sentence of the main reasons, strongest first, parts joined by "; "."""
    return sentence(facts, skills_phrase(facts.matched, facts.missing))
