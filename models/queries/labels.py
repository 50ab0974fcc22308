"""Names for the keys the KPI figures are grouped by (models/monitoring/figures.py): a commune
code, an occupation key, an institution id, an ethnic group code, a level code or a country code
is named from its register (models.queries.kpi_names, one query per dimension for the keys
shown); a channel, a priority group, a sex, a household status, a sector group or a kind of
work place from a fixed vocabulary whose names are message ids, the same as the dashboard's
(web/services/kpi_labels.py). Reads only."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlmodel import Session

from models.i18n import translate
from models.monitoring.figures import NONE_KEY
from models.queries.kpi_names import NAMED_DIMENSIONS, group_names

NOT_RECORDED = "Not recorded"

# Fixed vocabularies: key -> msgid.
CHANNEL_LABELS = {
    "vay_von": "Loans for job creation",
    "xuat_khau_lao_dong": "Contract work abroad",
    "dn_ngoai_tinh": "Enterprises outside the province",
    "dn_trong_tinh": "Enterprises in the province",
    "co_quan_hcsn": "Public bodies and service units",
    "chuong_trinh_khac_tu_tao": "Other programmes and self-employment",
}
PRIORITY_GROUP_LABELS = {
    "ethnic_minority": "Ethnic minorities",
    "women": "Women",
    "poor_or_near_poor": "Poor or near-poor households",
    "zone_iii": "Zone III communes",
    "difficult_village": "Especially difficult villages",
    "disability": "People with a disability",
    "none": "In no priority group",
}
# Programmes of work abroad (the spell's abroad_programme); another value is shown as stored.
PROGRAMME_LABELS = {
    "jp_tts": "Technical intern training (Japan)",
    "jp_ssw": "Specified skilled worker (Japan)",
    "kr_eps": "Employment Permit System (Korea)",
    "tw_contract": "Contract work (Taiwan)",
}
# Occupation groups of the training catalogue (matching/data/occupations.csv, "group").
OCCUPATION_GROUP_LABELS = {
    "bao_tri_thiet_bi": "Equipment maintenance",
    "chan_nuoi": "Livestock",
    "che_bien": "Food processing",
    "che_bien_go": "Wood processing",
    "cntt": "Information technology",
    "co_khi": "Mechanics",
    "dich_vu_ca_nhan": "Personal services",
    "dien": "Electrical work",
    "du_lich": "Tourism",
    "kinh_te": "Business and accounting",
    "lam_nghiep": "Forestry",
    "may": "Garments",
    "nau_an": "Cooking",
    "ngoai_ngu": "Foreign languages",
    "nuoi_ong": "Beekeeping",
    "sua_chua_dien_tu": "Electronics repair",
    "thu_cong": "Handicrafts",
    "thuong_mai": "Sales",
    "trong_trot": "Crop farming",
    "van_hanh_may": "Machine operation",
    "van_tai": "Transport",
    "xay_dung": "Construction",
}
GROUP_VOCABULARIES: dict[str, Mapping[str, str]] = {
    "channel": CHANNEL_LABELS,
    "priority_group": PRIORITY_GROUP_LABELS,
    "sex": {"nam": "Male", "nu": "Female"},
    "household": {"ngheo": "Poor household", "can_ngheo": "Near-poor household"},
    "sector_group": {
        "nlts": "Agriculture, forestry and fishery",
        "cnxd": "Industry and construction",
        "dv": "Services",
    },
    "location_kind": {
        "commune": "Commune in the province",
        "other_province": "Another province",
        "abroad": "Abroad",
    },
    "zone": {"I": "Zone I", "II": "Zone II", "III": "Zone III"},
    "ethnic_minority": {"true": "Ethnic minority", "false": "Not an ethnic minority"},
    "programme": PROGRAMME_LABELS,
}


def vocabulary_text(vocabulary: Mapping[str, str], key: str | None, lang: str) -> str:
    """The reader's name for a key of a fixed vocabulary; an unknown key as stored, no key as
    an empty string."""
    if not key:
        return ""
    msgid = vocabulary.get(key)
    return translate(msgid, lang) if msgid else key


@dataclass(frozen=True, slots=True)
class Label:
    """What to show for a key: a name, or a message id (``msgid``) to translate."""

    text: str
    msgid: bool = False

    def shown(self, lang: str) -> str:
        return translate(self.text, lang) if self.msgid else self.text


@dataclass(frozen=True)
class Labels:
    """Register names by dimension ('commune', 'occupation', …) and key."""

    names: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def label(self, dimension: str, key: str) -> Label:
        """The name of ``key`` in ``dimension``; the key itself when nothing names it."""
        if key == NONE_KEY:
            return Label(NOT_RECORDED, msgid=True)
        vocabulary = GROUP_VOCABULARIES.get(dimension)
        if vocabulary is not None and key in vocabulary:
            return Label(vocabulary[key], msgid=True)
        return Label(self.names.get(dimension, {}).get(key, key))

    def text(self, dimension: str, key: str, lang: str) -> str:
        return self.label(dimension, key).shown(lang)


def key_labels(session: Session, keys: Iterable[tuple[str, str]]) -> Labels:
    """The register names of these (dimension, key) pairs: one query per dimension."""
    wanted: dict[str, set[str]] = {}
    for dimension, key in keys:
        if dimension in NAMED_DIMENSIONS and key != NONE_KEY:
            wanted.setdefault(dimension, set()).add(key)
    return Labels({dim: group_names(session, dim, found) for dim, found in wanted.items()})
