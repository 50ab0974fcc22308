"""The labelled set's vacancies, written by hand as employers post them in Điện Biên.

Titles are kept as typed: some without diacritics, some with a typo or an abbreviation. ``key``
is the catalogue occupation a placement officer would file the vacancy under; ``code`` says
whether the posting itself carries that code (most employers leave it empty).
``also`` lists occupations this employer would also take (line work that needs no credential).
"""

from __future__ import annotations

from typing import Any, NamedTuple

Location = dict[str, Any]


def here(commune_code: str) -> Location:
    return {"kind": "commune", "commune_code": commune_code}


def province(name: str) -> Location:
    return {"kind": "other_province", "province": name}


def abroad(country: str) -> Location:
    return {"kind": "abroad", "country": country}


class VacancySpec(NamedTuple):
    id: str
    title: str
    description: str
    key: str
    level: str | None
    location: Location
    wage: tuple[int, int] | None
    quantity: int
    ages: tuple[int, int] | None = None
    start: str | None = "2026-07-01"
    skills: tuple[str, ...] = ()
    code: bool = False
    order_id: str | None = None
    also: tuple[str, ...] = ()


M = 1_000_000
LINE_WORK = ("MAY_CONG_NGHIEP", "DIEN_DAN_DUNG", "HAN", "CHE_BIEN_NONG_SAN")
# Graduates of the Japanese/Korean course are worth a call for unskilled work abroad.
LANGUAGE = ("TIENG_NHAT_HAN",)

# fmt: off
VACANCIES: tuple[VacancySpec, ...] = (
    VacancySpec("V01", "Tuyển công nhân may",
        "May quần áo bảo hộ tại xưởng phường Điện Biên Phủ, hỗ trợ ăn trưa.", "MAY_CONG_NGHIEP",
        "so_cap", here("03127"), (5 * M, 6_500_000), 10, (18, 45),
        skills=("may máy 1 kim", "vắt sổ")),
    VacancySpec("V02", "CÔNG NHÂN MAY CÔNG NGHIỆP - làm việc tại Hải Phòng",
        "Đơn hàng đào tạo theo địa chỉ. Bao ăn ở ký túc xá, thưởng chuyên cần.", "MAY_CONG_NGHIEP",
        None, province("Hải Phòng"), (8 * M, 11 * M), 40, (18, 35), "2026-08-01",
        ("may dây chuyền",), True, "DH-2026-004", ("DET_THO_CAM",)),
    VacancySpec("V03", "Tuyen tho may", "may ao so mi xuat khau, luong theo san pham",
        "MAY_CONG_NGHIEP", "duoi_3_thang", province("Bình Dương"), (8 * M, 10 * M), 20, (18, 40)),
    VacancySpec("V04", "Thợ cắt may, sửa quần áo", "Cửa hàng thời trang cần thợ may đo.",
        "MAY_THOI_TRANG", "so_cap", here("03334"), (4_500_000, 6 * M), 2,
        skills=("cắt may", "thiết kế rập")),
    VacancySpec("V05", "Thợ điện dân dụng (lắp đặt, sửa chữa điện cho hộ gia đình)", "",
        "DIEN_DAN_DUNG", "trung_cap", here("03334"), (6 * M, 8 * M), 3, (20, 45),
        skills=("lắp đặt điện", "an toàn điện"), code=True),
    VacancySpec("V06", "tho dien", "lap dat dien cong trinh", "DIEN_DAN_DUNG", "so_cap",
        here("03253"), (5 * M, 7 * M), 4),
    VacancySpec("V07", "Công nhân lắp ráp điện tử",
        "Nhà máy tại KCN Quế Võ, Bắc Ninh. Không yêu cầu kinh nghiệm.", "DIEN_TU_CONG_NGHIEP",
        None, province("Bắc Ninh"), (8 * M, 12 * M), 100, (18, 35), also=LINE_WORK),
    VacancySpec("V08", "CN điện tử - Thái Nguyên", "Lắp ráp điện thoại, làm ca.",
        "DIEN_TU_CONG_NGHIEP", None, province("Thái Nguyên"), (9 * M, 12 * M), 60, (18, 30),
        also=("MAY_CONG_NGHIEP",)),
    VacancySpec("V09", "Kỹ thuật viên điện công nghiệp bảo trì máy",
        "Bảo trì dây chuyền, tủ điện, PLC.", "DIEN_CONG_NGHIEP", "trung_cap", province("Bắc Ninh"),
        (10 * M, 14 * M), 8, (20, 40), skills=("lắp tủ điện", "PLC"), code=True),
    VacancySpec("V10", "Tuyển thợ sửa chữa ô tô", "Garage tại phường Điện Biên Phủ.",
        "CONG_NGHE_O_TO", "trung_cap", here("03127"), (7 * M, 10 * M), 3,
        skills=("bảo dưỡng ô tô", "sửa động cơ ô tô")),
    VacancySpec("V11", "thợ sửa xe máy", "", "SUA_CHUA_XE_MAY", "duoi_3_thang", here("03253"),
        (4 * M, 6 * M), 2, start=None),
    VacancySpec("V12", "Kỹ thuật viên sửa chửa xe máy", "Cửa hàng Honda ủy nhiệm tại Mường Ảng.",
        "SUA_CHUA_XE_MAY", "so_cap", here("03256"), (5 * M, 7 * M), 2, (18, 40),
        skills=("bảo dưỡng xe máy",)),
    VacancySpec("V13", "Thợ hàn cửa sắt, khung nhà thép", "", "HAN", "so_cap", here("03334"),
        (6 * M, 9 * M), 3, skills=("hàn điện",)),
    VacancySpec("V14", "Thợ hàn (hàn TIG, MIG)", "Nhà máy đóng tàu tại Hải Phòng, hỗ trợ nhà ở.",
        "HAN", "trung_cap", province("Hải Phòng"), (12 * M, 18 * M), 15, (20, 45),
        skills=("hàn TIG", "hàn MIG"), code=True),
    VacancySpec("V15", "Kỹ năng đặc định ngành hàn - Nhật Bản",
        "Tokutei ginō, yêu cầu tiếng Nhật N4.", "HAN", "so_cap", abroad("Nhật Bản"),
        (30 * M, 35 * M), 6, (20, 35), "2026-10-01", ("hàn hồ quang", "tiếng Nhật N4"),
        also=LANGUAGE),
    VacancySpec("V16", "Tuyển thợ xây, thợ nề", "Công trình trường học xã Mường Ảng.",
        "NE_HOAN_THIEN", "duoi_3_thang", here("03256"), (5 * M, 7 * M), 8),
    VacancySpec("V17", "Kỹ thuật viên giám sát xây dựng", "", "KY_THUAT_XAY_DUNG", "cao_dang",
        here("03127"), (8 * M, 11 * M), 2, (22, 45), skills=("đọc bản vẽ xây dựng", "dự toán"),
        code=True),
    VacancySpec("V18", "tho moc", "lam cua go, do go noi that", "MOC_DAN_DUNG", "duoi_3_thang",
        here("03151"), (5 * M, 7 * M), 2),
    VacancySpec("V19", "Đầu bếp / phụ bếp", "Nhà hàng đặc sản Tây Bắc tại Mường Thanh.",
        "CHE_BIEN_MON_AN", "so_cap", here("03334"), (5 * M, 8 * M), 3,
        skills=("nấu món Việt", "an toàn thực phẩm")),
    VacancySpec("V20", "Phụ bếp nhà hàng tại Hà Nội (bao ăn ở)", "", "CHE_BIEN_MON_AN",
        "duoi_3_thang", province("Hà Nội"), (7 * M, 9 * M), 5, (18, 40)),
    VacancySpec("V21", "Lễ tân khách sạn", "Khách sạn 4 sao, yêu cầu tiếng Anh giao tiếp.",
        "QUAN_TRI_KHACH_SAN", "trung_cap", here("03334"), (6 * M, 8 * M), 2, (20, 30),
        skills=("lễ tân", "tiếng Anh giao tiếp"), code=True),
    VacancySpec("V22", "Nhân viên phục vụ nhà hàng - Quảng Ninh", "Resort tại Hạ Long.",
        "NGHIEP_VU_NHA_HANG", None, province("Quảng Ninh"), (7 * M, 9 * M), 10, (18, 30),
        skills=("phục vụ bàn",)),
    VacancySpec("V23", "Hướng dẫn viên du lịch cộng đồng", "Bản du lịch Mường Phăng.",
        "HUONG_DAN_DU_LICH", "so_cap", here("03325"), (5 * M, 7 * M), 2,
        skills=("thuyết minh di tích",)),
    VacancySpec("V24", "Công nhân chăm sóc, thu hái cà phê",
        "Đơn hàng đào tạo của công ty cà phê Mường Ảng.", "TRONG_CA_PHE", None, here("03256"),
        (4 * M, 5_500_000), 15, order_id="DH-2025-011"),
    VacancySpec("V25", "Nhân viên chăn nuôi bò", "Trang trại bò thịt.", "CHAN_NUOI_GIA_SUC",
        "duoi_3_thang", here("03253"), (4_500_000, 6 * M), 3, skills=("chăm sóc trâu bò",)),
    VacancySpec("V26", "Kỹ thuật viên thú y", "", "THU_Y", "trung_cap", here("03166"),
        (6 * M, 7_500_000), 1, (20, 40), code=True),
    VacancySpec("V27", "Cong nhan che bien che", "HTX che Tua Chua", "TRONG_CHE", None,
        here("03217"), (4 * M, 5 * M), 6),
    VacancySpec("V28", "Nhân viên nhập liệu", "", "TIN_HOC_VAN_PHONG", "so_cap", here("03127"),
        (5 * M, 6 * M), 2, (18, 35), skills=("Excel", "nhập liệu")),
    VacancySpec("V29", "Kỹ thuật viên CNTT, quản trị mạng", "", "CNTT_UNG_DUNG_PHAN_MEM",
        "cao_dang", here("03127"), (8 * M, 12 * M), 2, skills=("quản trị mạng",), code=True),
    VacancySpec("V30", "Kế toán hợp tác xã", "HTX nông nghiệp xã Mường Nhé.",
        "KE_TOAN_DOANH_NGHIEP", "trung_cap", here("03160"), (5 * M, 6_500_000), 1),
    VacancySpec("V31", "Tài xế xe tải (bằng C)", "", "LAI_XE", "so_cap", here("03127"),
        (8 * M, 12 * M), 4, (23, 50), skills=("bằng lái C",)),
    VacancySpec("V32", "Thực tập sinh điều dưỡng (kaigo) - Nhật Bản",
        "Đơn hàng đào tạo: học nghề hộ lý và tiếng Nhật trước khi xuất cảnh.",
        "DIEU_DUONG_CHAM_SOC", "so_cap", abroad("Nhật Bản"), (28 * M, 32 * M), 10, (18, 35),
        "2026-12-01", ("chăm sóc người cao tuổi", "tiếng Nhật N4"), True, "DH-2026-009", LANGUAGE),
    VacancySpec("V33", "Lao động nông nghiệp EPS Hàn Quốc (trồng rau nhà kính)",
        "Chương trình EPS, thi tiếng Hàn.", "TRONG_RAU", None, abroad("Hàn Quốc"),
        (40 * M, 45 * M), 12, (18, 39), "2026-11-01", also=LANGUAGE),
    VacancySpec("V34", "Chan nuoi - Han Quoc (EPS)", "", "CHAN_NUOI_GIA_SUC", None,
        abroad("Hàn Quốc"), (40 * M, 45 * M), 5, (18, 39), "2026-11-01", also=LANGUAGE),
    VacancySpec("V35", "Công nhân nhà máy điện tử Đài Loan", "", "DIEN_TU_CONG_NGHIEP", None,
        abroad("Đài Loan"), (25 * M, 30 * M), 20, (20, 40), "2026-09-01",
        also=(*LINE_WORK, "TIENG_NHAT_HAN")),
    VacancySpec("V36", "Hộ lý chăm sóc người già tại Đài Loan", "", "DIEU_DUONG_CHAM_SOC",
        "duoi_3_thang", abroad("Đài Loan"), (25 * M, 28 * M), 8, (25, 45), "2026-09-01",
        ("chăm sóc người cao tuổi",)),
    VacancySpec("V37", "TTS chế biến thực phẩm - Nhật Bản", "Đóng gói, chế biến thủy sản.",
        "CHE_BIEN_NONG_SAN", None, abroad("Nhật Bản"), (28 * M, 32 * M), 12, (18, 30),
        "2026-10-01", also=("TIENG_NHAT_HAN", "CHE_BIEN_MON_AN")),
    VacancySpec("V38", "Thợ cắt tóc, làm móng", "", "CHAM_SOC_SAC_DEP", "duoi_3_thang",
        here("03334"), None, 2, start=None),
    VacancySpec("V39", "Nuôi cá lồng lòng hồ", "", "NUOI_CA", None, here("03151"), None, 3,
        start=None),
    VacancySpec("V40", "Thợ sửa máy cày, máy gặt", "Dịch vụ máy nông nghiệp xã Thanh An.",
        "SUA_CHUA_MAY_NONG_NGHIEP", "duoi_3_thang", here("03352"), (5 * M, 7 * M), 1),
)
# fmt: on


def vacancy_record(spec: VacancySpec, employer_number: int) -> dict[str, Any]:
    """The JSON Lines record for one vacancy (the engine's file interface)."""
    wage_min, wage_max = spec.wage if spec.wage else (None, None)
    age_min, age_max = spec.ages if spec.ages else (None, None)
    return {
        "id": spec.id,
        "employer_id": f"E{employer_number:02d}",
        "title": spec.title,
        "description": spec.description,
        "occupation_code": spec.key if spec.code else None,
        "required_level": spec.level,
        "skills": list(spec.skills),
        "location": spec.location,
        "wage_min": wage_min,
        "wage_max": wage_max,
        "quantity": spec.quantity,
        "age_min": age_min,
        "age_max": age_max,
        "start_date": spec.start,
        "order_id": spec.order_id,
    }
