"""Vocabulary shared by the labelled-set generator and the benchmark generator.

Điện Biên's 45 communes (codes after the 2025 reorganisation), destinations outside the province,
skills per catalogue occupation, and the ways people actually type occupation names: local
variants, missing diacritics, typos and abbreviations.
"""

from __future__ import annotations

import csv
import random
import re
from dataclasses import dataclass
from pathlib import Path

from matching.text import strip_diacritics

# The catalogue as it stood when the labelled sets were drawn (a copy of data/occupations.csv
# of that day). The generators read this copy, not the live catalogue, so that growing the
# catalogue never changes the committed sets or their grades: the sets were committed before
# the engine and its catalogue changed, on purpose (docs/evaluation.md).
CATALOGUE_CSV = Path(__file__).resolve().parent / "data" / "catalogue_at_generation.csv"

# Commune code -> name (Công văn 1027/CTK-CSCL, 2025). Zones I and II first.
COMMUNES: dict[str, str] = {
    "03127": "Điện Biên Phủ", "03334": "Mường Thanh", "03151": "Mường Lay",
    "03325": "Mường Phăng", "03328": "Thanh Nưa", "03352": "Thanh An", "03253": "Tuần Giáo",
    "03349": "Thanh Yên", "03356": "Sam Mứn", "03358": "Núa Ngam", "03368": "Mường Nhà",
    "03295": "Quài Tở", "03268": "Mường Mùn", "03260": "Pú Nhung", "03283": "Chiềng Sinh",
    "03217": "Tủa Chùa", "03226": "Sín Chải", "03241": "Sính Phình", "03220": "Tủa Thàng",
    "03244": "Sáng Nhè", "03172": "Na Sang", "03181": "Mường Tùng", "03193": "Pa Ham",
    "03194": "Nậm Nèn", "03202": "Mường Pồn", "03203": "Na Son", "03208": "Xa Dung",
    "03370": "Pu Nhi", "03214": "Mường Luân", "03385": "Tìa Dình", "03382": "Phình Giàng",
    "03166": "Mường Chà", "03169": "Nà Hỳ", "03176": "Nà Bủng", "03175": "Chà Tở",
    "03199": "Si Pa Phìn", "03160": "Mường Nhé", "03158": "Sín Thầu", "03163": "Mường Toong",
    "03162": "Nậm Kè", "03164": "Quảng Lâm", "03256": "Mường Ảng", "03316": "Nà Tấu",
    "03301": "Búng Lao", "03313": "Mường Lạn",
}  # fmt: skip
TOWN_COMMUNES = ("03127", "03334", "03151", "03253", "03256")

INDUSTRIAL_PROVINCES = (
    "Bắc Ninh", "Hải Phòng", "Thái Nguyên", "Hà Nội", "Bình Dương", "Quảng Ninh"
)  # fmt: skip
COUNTRIES = ("Nhật Bản", "Hàn Quốc", "Đài Loan")

LEVELS = ("duoi_3_thang", "so_cap", "trung_cap", "cao_dang")
LEVEL_RANK: dict[str | None, int] = {None: 0, "duoi_3_thang": 1, "so_cap": 2, "trung_cap": 3,
                                     "cao_dang": 4}  # fmt: skip

SKILLS: dict[str, tuple[str, ...]] = {
    "TRONG_LUA_NGO": ("làm đất", "gieo mạ", "bón phân", "phòng trừ sâu bệnh", "thu hoạch lúa"),
    "TRONG_CAY_AN_QUA": ("ghép cành", "tỉa cành", "bón phân", "phòng trừ sâu bệnh", "tưới nước"),
    "TRONG_CA_PHE": ("ươm giống cà phê", "tỉa cành", "bón phân", "thu hái cà phê",
                     "sơ chế cà phê"),
    "TRONG_RAU": ("làm đất", "gieo hạt", "tưới nước", "phòng trừ sâu bệnh",
                  "trồng rau nhà lưới", "thu hoạch rau"),
    "TRONG_CHE": ("hái chè", "đốn chè", "sao chè", "bón phân"),
    "KHOA_HOC_CAY_TRONG": ("bảo vệ thực vật", "phòng trừ sâu bệnh", "chọn giống",
                           "phân tích đất"),
    "CHAN_NUOI_GIA_SUC": ("chăm sóc trâu bò", "nuôi lợn", "phối trộn thức ăn", "tiêm phòng",
                          "vệ sinh chuồng trại"),
    "CHAN_NUOI_GIA_CAM": ("nuôi gà", "ấp trứng", "tiêm phòng", "phối trộn thức ăn",
                          "vệ sinh chuồng trại"),
    "NUOI_CA": ("nuôi cá lồng", "cho cá ăn", "phòng bệnh cho cá", "quản lý ao nuôi"),
    "THU_Y": ("tiêm phòng", "chẩn đoán bệnh vật nuôi", "điều trị bệnh gia súc",
              "thụ tinh nhân tạo"),
    "LAM_SINH": ("ươm cây giống", "trồng rừng", "phòng cháy chữa cháy rừng", "bảo vệ rừng"),
    "MAY_CONG_NGHIEP": ("may máy 1 kim", "vắt sổ", "may dây chuyền", "là ủi", "kiểm hàng"),
    "MAY_THOI_TRANG": ("cắt may", "thiết kế rập", "may áo sơ mi", "may váy", "may máy 1 kim"),
    "DET_THO_CAM": ("dệt thổ cẩm", "thêu tay", "nhuộm chàm"),
    "MAY_TRE_DAN": ("đan mây tre", "chẻ nan", "đan giỏ"),
    "DIEN_DAN_DUNG": ("lắp đặt điện", "đi dây điện", "sửa quạt điện", "sửa nồi cơm điện",
                      "đọc bản vẽ điện", "an toàn điện"),
    "DIEN_CONG_NGHIEP": ("lắp tủ điện", "vận hành động cơ điện", "PLC", "đọc bản vẽ điện",
                         "an toàn điện"),
    "DIEN_TU_CONG_NGHIEP": ("hàn linh kiện", "lắp ráp bo mạch", "kiểm tra linh kiện",
                            "đọc sơ đồ mạch"),
    "SUA_CHUA_XE_MAY": ("bảo dưỡng xe máy", "sửa động cơ xe máy", "sửa điện xe máy",
                        "thay dầu", "vá săm"),
    "CONG_NGHE_O_TO": ("bảo dưỡng ô tô", "sửa động cơ ô tô", "sửa hệ thống phanh", "điện ô tô",
                       "chẩn đoán lỗi"),
    "SUA_CHUA_MAY_NONG_NGHIEP": ("sửa máy cày", "sửa máy bơm nước", "sửa động cơ diesel",
                                 "vận hành máy gặt"),
    "HAN": ("hàn điện", "hàn hồ quang", "hàn TIG", "hàn MIG", "đọc bản vẽ cơ khí",
            "cắt kim loại"),
    "CAT_GOT_KIM_LOAI": ("tiện", "phay", "vận hành máy CNC", "đọc bản vẽ cơ khí"),
    "KY_THUAT_XAY_DUNG": ("đọc bản vẽ xây dựng", "xây tường", "đổ bê tông", "dự toán"),
    "NE_HOAN_THIEN": ("xây tường", "trát tường", "ốp lát", "lát gạch", "sơn bả"),
    "MOC_DAN_DUNG": ("đóng đồ gỗ", "bào gỗ", "làm cửa gỗ", "sơn gỗ"),
    "CHE_BIEN_MON_AN": ("nấu món Việt", "sơ chế thực phẩm", "an toàn thực phẩm", "nấu cỗ",
                        "làm bánh"),
    "NGHIEP_VU_NHA_HANG": ("phục vụ bàn", "pha chế đồ uống", "giao tiếp khách hàng",
                           "set up bàn tiệc"),
    "QUAN_TRI_KHACH_SAN": ("lễ tân", "đặt phòng", "buồng phòng", "tiếng Anh giao tiếp",
                           "giao tiếp khách hàng"),
    "HUONG_DAN_DU_LICH": ("thuyết minh di tích", "tiếng Anh giao tiếp", "dẫn tour", "sơ cứu"),
    "TIN_HOC_VAN_PHONG": ("Word", "Excel", "nhập liệu", "soạn thảo văn bản"),
    "CNTT_UNG_DUNG_PHAN_MEM": ("lắp ráp máy tính", "cài đặt phần mềm", "quản trị mạng",
                               "lập trình web", "Excel"),
    "KE_TOAN_DOANH_NGHIEP": ("kế toán thuế", "Excel", "phần mềm kế toán MISA",
                             "lập báo cáo tài chính"),
    "LAI_XE": ("bằng lái B2", "bằng lái C", "bảo dưỡng xe", "lái xe tải"),
    "CHE_BIEN_NONG_SAN": ("đóng gói thực phẩm", "an toàn thực phẩm", "sơ chế nông sản",
                          "vận hành máy đóng gói"),
    "CHAM_SOC_SAC_DEP": ("cắt tóc", "gội đầu dưỡng sinh", "làm móng", "trang điểm"),
    "DIEU_DUONG_CHAM_SOC": ("chăm sóc người cao tuổi", "hỗ trợ vệ sinh cá nhân", "sơ cứu",
                            "đo huyết áp", "tiếng Nhật N4"),
    "TIENG_NHAT_HAN": ("tiếng Nhật N5", "tiếng Nhật N4", "tiếng Hàn sơ cấp",
                       "giao tiếp tiếng Hàn"),
    # Short courses the catalogue lacks (the second set, spec_hard.ABSENT_TRADES).
    "SUA_CHUA_MAY_MAY": ("sửa máy may 1 kim", "chỉnh mũi may", "thay ổ máy may",
                         "bảo dưỡng máy vắt sổ"),
    "VAN_HANH_MAY_NONG_NGHIEP": ("lái máy cày", "vận hành máy gặt", "làm đất bằng máy",
                                 "an toàn máy nông nghiệp"),
    "SUA_CHUA_DIEN_THOAI": ("thay màn hình điện thoại", "sửa main điện thoại", "thay pin",
                            "cài đặt phần mềm điện thoại"),
    "BAN_HANG": ("giao tiếp khách hàng", "tư vấn bán hàng", "thu ngân", "quản lý kho hàng"),
    "CHE_BIEN_GO": ("xẻ gỗ", "vận hành máy bào", "chà nhám", "sơn phủ gỗ", "ép ván"),
    "CHE_BIEN_THUC_AN_CHAN_NUOI": ("phối trộn thức ăn", "vận hành máy ép viên",
                                   "kiểm tra nguyên liệu"),
    "TRONG_NAM": ("làm giá thể nấm", "cấy giống nấm", "chăm sóc nấm", "thu hái nấm"),
    "NUOI_ONG": ("chia đàn ong", "quay mật", "phòng bệnh cho ong"),
    "DICH_VU_HOMESTAY": ("buồng phòng", "đón tiếp khách", "nấu ăn cho khách",
                         "giới thiệu bản làng"),
    "XOA_BOP_BAM_HUYET": ("xoa bóp", "bấm huyệt", "massage body", "ngâm chân thảo dược"),
    "VAN_HANH_MAY_XUC": ("lái máy xúc", "lái máy ủi", "bảo dưỡng máy công trình",
                         "an toàn công trường"),
}  # fmt: skip

# How centres, communes and job-seekers write the occupation, beyond the catalogue's aliases.
LOCAL_VARIANTS: dict[str, tuple[str, ...]] = {
    "MAY_CONG_NGHIEP": ("may công nghiệp", "công nhân may", "thợ may công nghiệp",
                        "công nhân may công nghiệp", "may dây chuyền", "may"),
    "SUA_CHUA_XE_MAY": ("sửa xe máy", "sửa chữa xe máy", "thợ sửa xe máy", "sửa xe gắn máy",
                        "sửa chữa xe mô tô"),
    "DIEN_DAN_DUNG": ("điện dân dụng", "thợ điện", "điện nước dân dụng",
                      "sửa chữa điện dân dụng"),
    "DIEN_TU_CONG_NGHIEP": ("công nhân điện tử", "lắp ráp linh kiện điện tử", "điện tử"),
    "HAN": ("thợ hàn", "hàn điện", "hàn công nghiệp", "kỹ thuật hàn"),
    "CHE_BIEN_MON_AN": ("nấu ăn", "đầu bếp", "phụ bếp", "kỹ thuật nấu ăn", "chế biến món ăn"),
    "NE_HOAN_THIEN": ("thợ xây", "thợ nề", "nề hoàn thiện", "xây dựng dân dụng"),
    "CHAN_NUOI_GIA_SUC": ("chăn nuôi trâu bò", "nuôi lợn", "chăn nuôi gia súc", "chăn nuôi"),
    "DIEU_DUONG_CHAM_SOC": ("hộ lý", "điều dưỡng", "chăm sóc người già", "kaigo",
                            "hộ lý chăm sóc người cao tuổi"),
    "CONG_NGHE_O_TO": ("sửa chữa ô tô", "công nghệ ô tô", "kỹ thuật ô tô", "sửa ô tô"),
    "TRONG_RAU": ("trồng rau", "trồng rau an toàn", "trồng rau sạch"),
    "TIN_HOC_VAN_PHONG": ("tin học văn phòng", "tin học", "nhập liệu"),
}  # fmt: skip

# Wrong tone or vowel marks people type; each pair is tried in both directions.
_TONE_SLIPS = (("ử", "ữ"), ("ợ", "ơ"), ("ệ", "ê"), ("ụ", "u"), ("ỹ", "ĩ"), ("ữ", "ửa"),
               ("ặ", "ắ"), ("ấ", "ầ"), ("à", "a"), ("ư", "u"), ("ă", "a"), ("ộ", "ô"))  # fmt: skip
_ABBREVIATIONS = (("công nhân", "CN"), ("kỹ thuật", "KT"), ("sửa chữa", "SC"),
                  ("kỹ thuật viên", "KTV"))  # fmt: skip


@dataclass(frozen=True)
class Occupation:
    """One row of the province's occupation catalogue, read straight from the CSV."""

    key: str
    name: str
    group: str
    levels: tuple[str, ...]
    aliases: tuple[str, ...]


def read_catalogue(path: Path = CATALOGUE_CSV) -> dict[str, Occupation]:
    """The catalogue the labelled sets were drawn from, keyed by occupation key (no dependency
    on the engine's loader)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {
        row["key"]: Occupation(
            key=row["key"],
            name=row["name"],
            group=row["group"],
            levels=tuple(v for v in row["levels"].split("|") if v),
            aliases=tuple(v for v in row["aliases"].split("|") if v),
        )
        for row in rows
    }


def spellings(occupation: Occupation) -> tuple[str, ...]:
    """Every correct way to name an occupation: catalogue name, aliases, local variants."""
    seen: dict[str, None] = {occupation.name: None}
    for text in (*occupation.aliases, *LOCAL_VARIANTS.get(occupation.key, ())):
        seen.setdefault(text, None)
    return tuple(seen)


def typo(text: str, rng: random.Random) -> str:
    """One slip of the keyboard: a wrong tone mark, a dropped letter or two swapped letters."""
    slips = [(a, b) for a, b in _TONE_SLIPS if a in text] + [
        (b, a) for a, b in _TONE_SLIPS if b in text and len(b) == 1
    ]
    roll = rng.random()
    if slips and roll < 0.5:
        wrong, right = rng.choice(slips)
        return text.replace(wrong, right, 1)
    # Slip inside a word of four letters or more, never on its first letter.
    inner = [i for w in re.finditer(r"\w{4,}", text) for i in range(w.start() + 1, w.end())]
    if not inner:
        return text
    i = rng.choice(inner)
    if roll < 0.75:
        return text[:i] + text[i + 1 :]
    return text[: i - 1] + text[i] + text[i - 1] + text[i + 1 :]


def abbreviate(text: str) -> str:
    """Shorten the stock phrases the way forms are filled in a hurry ("CN may")."""
    for phrase, short in _ABBREVIATIONS:
        if phrase in text.lower():
            start = text.lower().index(phrase)
            return text[:start] + short + text[start + len(phrase) :]
    return text


def noisy(text: str, rng: random.Random, p_bare: float, p_typo: float, p_abbrev: float) -> str:
    """Apply the usual kinds of noise, each with its own probability."""
    if rng.random() < p_abbrev:
        text = abbreviate(text)
    if rng.random() < p_typo:
        text = typo(text, rng)
    if rng.random() < p_bare:
        text = strip_diacritics(text)
    if rng.random() < 0.3:
        text = text[:1].upper() + text[1:]
    return text
