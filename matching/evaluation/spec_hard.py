"""The second, harder labelled set: vacancies whose titles share words with other trades.

Written by hand as employers post them. Each vacancy names its ``kind`` of trap and its
``decoys``: trades whose names share words with the title, almost all of which the officer does
not take (``labels.TRAP_PAIRS``; a few are related and worth a call). The generator draws, for
each decoy, a graduate of that trade who fits the vacancy in every other way (place, level, age,
language), so only the trade tells them apart.

Kinds: ``repair-vs-use`` (repairing a machine against the trade that uses it),
``material`` (processing one material against another), ``sell-vs-make`` (selling goods against
making or repairing them), ``absent`` (a short course the province runs that the catalogue
lacks), ``short-course`` (one it has), ``no-tones`` (title typed without tone marks),
``abroad-language`` (a programme abroad requiring a language level), ``order`` (linked to an
employer's training order) and ``shared-word`` (other pairs that share a word).
"""

from __future__ import annotations

from typing import NamedTuple

from matching.evaluation.spec import LANGUAGE, LINE_WORK, VacancySpec, abroad, here, province
from matching.evaluation.vocab import Occupation

M = 1_000_000
KINDS = ("repair-vs-use", "material", "sell-vs-make", "absent", "short-course", "no-tones",
         "abroad-language", "order", "shared-word")  # fmt: skip

# Trades absent from matching/data/occupations.csv: short courses (dạy nghề dưới 3 tháng, sơ
# cấp) the province runs or employers ask for. The officer files people under these; the engine
# can only map them to the nearest catalogue entry.
ABSENT_TRADES: dict[str, Occupation] = {
    o.key: o
    for o in (
        Occupation("SUA_CHUA_MAY_MAY", "Sửa chữa máy may công nghiệp", "co_khi",
                   ("so_cap", "trung_cap"),
                   ("sửa chữa máy may", "thợ sửa máy may", "bảo trì máy may", "cơ khí máy may")),
        Occupation("VAN_HANH_MAY_NONG_NGHIEP", "Vận hành máy nông nghiệp", "co_khi",
                   ("duoi_3_thang", "so_cap"),
                   ("lái máy cày", "vận hành máy cày", "lái máy gặt", "vận hành máy gặt đập")),
        Occupation("SUA_CHUA_DIEN_THOAI", "Sửa chữa điện thoại di động", "dien",
                   ("duoi_3_thang", "so_cap"),
                   ("sửa điện thoại", "sửa chữa điện thoại", "thợ sửa điện thoại",
                    "sửa chữa điện thoại di động")),
        Occupation("BAN_HANG", "Nghiệp vụ bán hàng", "kinh_te", ("duoi_3_thang", "so_cap"),
                   ("bán hàng", "nhân viên bán hàng", "bán hàng điện thoại",
                    "bán vật liệu xây dựng", "bán quần áo", "bán hàng tạp hóa")),
        Occupation("CHE_BIEN_GO", "Chế biến gỗ", "che_bien", ("duoi_3_thang", "so_cap"),
                   ("chế biến gỗ", "công nhân chế biến gỗ", "chế biến lâm sản", "sản xuất ván ép")),
        Occupation("CHE_BIEN_THUC_AN_CHAN_NUOI", "Chế biến thức ăn chăn nuôi", "che_bien",
                   ("duoi_3_thang", "so_cap"),
                   ("chế biến thức ăn gia súc", "sản xuất thức ăn chăn nuôi",
                    "chế biến thức ăn chăn nuôi")),
        Occupation("TRONG_NAM", "Trồng nấm", "trong_trot", ("duoi_3_thang", "so_cap"),
                   ("trồng nấm", "nuôi trồng nấm", "trồng nấm rơm", "trồng nấm sò")),
        Occupation("NUOI_ONG", "Nuôi ong lấy mật", "chan_nuoi", ("duoi_3_thang", "so_cap"),
                   ("nuôi ong", "nuôi ong mật", "nuôi ong lấy mật")),
        Occupation("DICH_VU_HOMESTAY", "Dịch vụ lưu trú homestay", "du_lich",
                   ("duoi_3_thang", "so_cap"),
                   ("homestay", "làm homestay", "phục vụ homestay", "du lịch homestay")),
        Occupation("XOA_BOP_BAM_HUYET", "Xoa bóp bấm huyệt", "dich_vu_ca_nhan",
                   ("duoi_3_thang", "so_cap"),
                   ("massage", "mát xa", "xoa bóp", "massage trị liệu", "bấm huyệt")),
        Occupation("VAN_HANH_MAY_XUC", "Vận hành máy xúc, máy ủi", "co_khi",
                   ("duoi_3_thang", "so_cap"),
                   ("lái máy xúc", "lái máy ủi", "vận hành máy công trình", "lái máy múc")),
    )
}  # fmt: skip
# Catalogue aliases nobody who finished the course would type: the catalogue files the
# operator's trade under the repair trade, which is the confusion this set tests.
ALIASES_NOT_TYPED: dict[str, tuple[str, ...]] = {
    "SUA_CHUA_MAY_NONG_NGHIEP": ("vận hành máy nông nghiệp",),
}
# Asked of the short-course kind, and in the catalogue after all.
IN_CATALOGUE_SHORT_COURSES = ("DET_THO_CAM", "CHAM_SOC_SAC_DEP")

# Language levels: 1 = the first certificate (JLPT N5, EPS-TOPIK passed, TOCFL A1), 2 = N4, 3 = N3.
JA_N5, JA_N4, JA_N3, KO_EPS, ZH_A1 = ("ja", 1), ("ja", 2), ("ja", 3), ("ko", 1), ("zh", 1)
ORDER_ID = "DH-2026-021"


class HardVacancy(NamedTuple):
    """A vacancy of the second set: the posting, its kind of trap and what it is confused with."""

    spec: VacancySpec
    kind: str
    decoys: tuple[str, ...] = ()
    language: tuple[str, int] | None = None


def _v(id_: str, kind: str, title: str, key: str, level: str | None, location: dict,
       wage: tuple[float, float] | None, ages: tuple[int, int] | None = None,
       decoys: tuple[str, ...] = (), *, language: tuple[str, int] | None = None,
       start: str | None = "2026-07-01", also: tuple[str, ...] = (), order: str | None = None,
       skills: tuple[str, ...] = (), description: str = "") -> HardVacancy:  # fmt: skip
    money = (int(wage[0] * M), int(wage[1] * M)) if wage else None
    spec = VacancySpec(id_, title, description, key, level, location, money, 2, ages, start,
                       skills, False, order, also)  # fmt: skip
    return HardVacancy(spec, kind, decoys, language)


R, MT, SB, AB, ST, NT, AL, OR, SW = KINDS[0], KINDS[1], KINDS[2], KINDS[3], KINDS[4], KINDS[5], \
    KINDS[6], KINDS[7], KINDS[8]  # fmt: skip
SMM, MCN, MTT = "SUA_CHUA_MAY_MAY", "MAY_CONG_NGHIEP", "MAY_THOI_TRANG"
SNN, VNN, SXM, LX, OTO = ("SUA_CHUA_MAY_NONG_NGHIEP", "VAN_HANH_MAY_NONG_NGHIEP",
                          "SUA_CHUA_XE_MAY", "LAI_XE", "CONG_NGHE_O_TO")  # fmt: skip
GO, NS, CHE, MA, TACN = ("CHE_BIEN_GO", "CHE_BIEN_NONG_SAN", "TRONG_CHE", "CHE_BIEN_MON_AN",
                         "CHE_BIEN_THUC_AN_CHAN_NUOI")  # fmt: skip
BH, SDT, NE, XD = "BAN_HANG", "SUA_CHUA_DIEN_THOAI", "NE_HOAN_THIEN", "KY_THUAT_XAY_DUNG"
DP, DL = "Đài Loan", "Hàn Quốc"

# fmt: off
HARD_VACANCIES: tuple[HardVacancy, ...] = (
    # (a) repairing a machine against the trade that uses it
    _v("H001", R, "Thợ sửa chữa máy may công nghiệp", SMM, "so_cap", here("03127"), (6, 8),
       decoys=(MCN, MTT), description="Bảo trì, sửa máy may 1 kim, máy vắt sổ cho xưởng may."),
    _v("H002", R, "Kỹ thuật viên bảo trì máy may", SMM, "trung_cap", province("Bắc Ninh"),
       (9, 12), (20, 40), (MCN,)),
    _v("H003", R, "Công nhân may công nghiệp", MCN, "so_cap", here("03334"), (5, 6.5), None,
       (SMM,)),
    _v("H004", R, "Thợ may - xưởng may Tuần Giáo", MCN, "duoi_3_thang", here("03253"), (4.5, 6),
       None, (SMM,)),
    _v("H005", R, "Thợ sửa chữa máy nông nghiệp", SNN, "so_cap", here("03352"), (5, 7), None,
       (VNN,)),
    _v("H006", R, "Sửa chữa máy cày, máy bơm nước", SNN, "duoi_3_thang", here("03256"), (5, 7),
       None, (VNN,)),
    _v("H007", R, "Lái máy gặt đập liên hợp (vận hành máy nông nghiệp)", VNN, "duoi_3_thang",
       here("03328"), (5, 7), None, (SNN,)),
    _v("H008", R, "Vận hành máy nông nghiệp - HTX Thanh Yên", VNN, "duoi_3_thang", here("03349"),
       (4.5, 6), None, (SNN,)),
    _v("H009", R, "Thợ sửa chữa xe máy", SXM, "so_cap", here("03127"), (5, 7), None, (LX,)),
    _v("H010", R, "Sửa xe máy, xe điện", SXM, "duoi_3_thang", here("03166"), (4, 6), None, (LX,)),
    _v("H011", R, "Lái xe tải, xe ben", LX, "so_cap", here("03127"), (8, 12), (23, 50),
       (SXM, OTO)),
    _v("H012", R, "Tài xế lái xe ô tô chở khách", LX, "so_cap", here("03253"), (8, 11), (24, 50),
       (OTO,)),
    _v("H013", R, "Thợ sửa chữa ô tô", OTO, "trung_cap", here("03334"), (7, 10), None, (LX,)),
    _v("H014", R, "Kỹ thuật viên sửa chữa ô tô - Hà Nội", OTO, "so_cap", province("Hà Nội"),
       (9, 12), (20, 35), (LX,)),
    _v("H015", R, "Thợ bảo trì máy may - KCN Bình Dương", SMM, "so_cap", province("Bình Dương"),
       (9, 11), (20, 40), (MCN,)),
    _v("H016", R, "Công nhân may - làm việc tại Hải Phòng", MCN, "duoi_3_thang",
       province("Hải Phòng"), (8, 10), (18, 35), (SMM,)),
    _v("H017", R, "Thợ may đo quần áo", MTT, "so_cap", here("03151"), (4.5, 6), None, (SMM,)),
    _v("H018", R, "Lái xe hạng B2 cho công ty du lịch", LX, "so_cap", here("03334"), (7, 9),
       (22, 50), (OTO, SXM)),
    # (b) processing one material against another
    _v("H019", MT, "Công nhân chế biến gỗ", GO, "duoi_3_thang", here("03256"), (5, 6.5), None,
       (NS, CHE)),
    _v("H020", MT, "Thợ chế biến gỗ, ván ép - Tuần Giáo", GO, "so_cap", here("03253"), (5, 7),
       None, (NS,)),
    _v("H021", MT, "Công nhân chế biến gỗ xuất khẩu - Bình Dương", GO, "duoi_3_thang",
       province("Bình Dương"), (8, 10), (18, 40), (NS, MA)),
    _v("H022", MT, "Công nhân chế biến nông sản", NS, "duoi_3_thang", here("03127"), (4.5, 6),
       None, (GO,)),
    _v("H023", MT, "Công nhân chế biến thực phẩm - Bắc Ninh", NS, None, province("Bắc Ninh"),
       (8, 10), (18, 35), (GO, TACN)),
    _v("H024", MT, "Công nhân chế biến chè", CHE, None, here("03217"), (4, 5), None, (GO,)),
    _v("H025", MT, "Chế biến thức ăn chăn nuôi", TACN, "duoi_3_thang", here("03334"), (5, 6.5),
       None, (MA,)),
    _v("H026", MT, "Công nhân nhà máy thức ăn gia súc - Hà Nội", TACN, None, province("Hà Nội"),
       (8, 10), (18, 40), (MA, GO)),
    _v("H027", MT, "Phụ bếp, chế biến món ăn", MA, "duoi_3_thang", here("03127"), (5, 7), None,
       (TACN, GO)),
    _v("H028", MT, "Đầu bếp nhà hàng", MA, "so_cap", here("03334"), (6, 9), None, (TACN,)),
    _v("H029", MT, "Xưởng mộc cần thợ mộc, chế biến gỗ", "MOC_DAN_DUNG", "duoi_3_thang",
       here("03151"), (5, 7), None, (NS,)),
    _v("H030", MT, "Công nhân sơ chế, đóng gói nông sản - Mường Ảng", NS, "duoi_3_thang",
       here("03256"), (4.5, 5.5), None, (GO,)),
    # (c) selling goods against making or repairing them
    _v("H031", SB, "Nhân viên bán hàng điện thoại", BH, None, here("03127"), (5, 8), None,
       (SDT,)),
    _v("H032", SB, "Bán hàng điện thoại, phụ kiện - Mường Thanh", BH, None, here("03334"),
       (5, 7), None, (SDT, "DIEN_TU_CONG_NGHIEP")),
    _v("H033", SB, "Thợ sửa chữa điện thoại", SDT, "so_cap", here("03127"), (6, 9), None, (BH,)),
    _v("H034", SB, "Kỹ thuật viên sửa điện thoại - Hà Nội", SDT, "so_cap", province("Hà Nội"),
       (8, 11), (18, 35), (BH,)),
    _v("H035", SB, "Nhân viên bán vật liệu xây dựng", BH, None, here("03253"), (5, 7), None,
       (NE, XD)),
    _v("H036", SB, "Cửa hàng vật liệu xây dựng tuyển nhân viên bán hàng", BH, None,
       here("03256"), (4.5, 6), None, (XD,)),
    _v("H037", SB, "Thợ xây dựng", NE, "duoi_3_thang", here("03253"), (6, 8), None, (BH,)),
    _v("H038", SB, "Kỹ thuật viên xây dựng", XD, "trung_cap", here("03127"), (8, 11), None,
       (BH,)),
    _v("H039", SB, "Nhân viên bán quần áo", BH, None, here("03334"), (4.5, 6), None, (MTT, MCN)),
    _v("H040", SB, "Thợ may thời trang", MTT, "so_cap", here("03127"), (5, 7), None, (BH,)),
    _v("H041", SB, "Bán phụ tùng xe máy", BH, None, here("03166"), (4.5, 6), None, (SXM,)),
    _v("H042", SB, "Sửa chữa xe máy - cửa hàng Honda", SXM, "so_cap", here("03256"), (5, 7),
       None, (BH,)),
    # Short courses the catalogue lacks (and two it has)
    _v("H043", AB, "Trồng nấm rơm, nấm sò", "TRONG_NAM", "duoi_3_thang", here("03352"), (4, 5),
       None, ("NUOI_CA",)),
    _v("H044", AB, "Công nhân trại nấm", "TRONG_NAM", "duoi_3_thang", here("03328"), (4, 5.5)),
    _v("H045", AB, "Kỹ thuật trồng nấm - HTX Mường Phăng", "TRONG_NAM", "so_cap", here("03325"),
       (5, 6)),
    _v("H046", AB, "Nuôi ong lấy mật", "NUOI_ONG", "duoi_3_thang", here("03217"), (4, 5), None,
       ("NUOI_CA", "CHAN_NUOI_GIA_CAM")),
    _v("H047", AB, "Công nhân nuôi ong", "NUOI_ONG", "duoi_3_thang", here("03166"), (4, 5), None,
       ("CHAN_NUOI_GIA_CAM",)),
    _v("H048", AB, "Nuôi ong mật - Tủa Thàng", "NUOI_ONG", None, here("03220"), (3.5, 5)),
    _v("H049", AB, "Nhân viên phục vụ homestay", "DICH_VU_HOMESTAY", "duoi_3_thang",
       here("03325"), (4, 5.5)),
    _v("H050", AB, "Quản lý homestay bản Mường Phăng", "DICH_VU_HOMESTAY", "so_cap",
       here("03325"), (5, 7), (20, 45)),
    _v("H051", AB, "Làm homestay - du lịch cộng đồng Tủa Chùa", "DICH_VU_HOMESTAY",
       "duoi_3_thang", here("03217"), (4, 5)),
    _v("H052", AB, "Nhân viên massage, bấm huyệt", "XOA_BOP_BAM_HUYET", "so_cap", here("03127"),
       (5, 8)),
    _v("H053", AB, "Kỹ thuật viên massage trị liệu - Hà Nội", "XOA_BOP_BAM_HUYET", "so_cap",
       province("Hà Nội"), (8, 12), (18, 35)),
    _v("H054", AB, "Lái máy xúc, máy ủi", "VAN_HANH_MAY_XUC", "so_cap", here("03253"), (8, 12),
       (20, 50)),
    _v("H055", AB, "Vận hành máy xúc công trình - Quảng Ninh", "VAN_HANH_MAY_XUC", "so_cap",
       province("Quảng Ninh"), (10, 14), (20, 45)),
    _v("H056", ST, "Dệt thổ cẩm", "DET_THO_CAM", "duoi_3_thang", here("03160"), (3, 4.5)),
    _v("H057", ST, "Thợ dệt thổ cẩm - HTX Mường Lay", "DET_THO_CAM", "duoi_3_thang",
       here("03151"), (3.5, 5)),
    _v("H058", ST, "Thợ cắt tóc nam nữ", "CHAM_SOC_SAC_DEP", "duoi_3_thang", here("03127"),
       (5, 8)),
    _v("H059", ST, "Nhân viên spa, gội đầu dưỡng sinh", "CHAM_SOC_SAC_DEP", "duoi_3_thang",
       here("03334"), (5, 7), None, ("XOA_BOP_BAM_HUYET",)),
    # Typed without tone marks
    _v("H060", NT, "sua chua may may", SMM, "so_cap", here("03127"), (6, 8), None,
       (MCN, "MAY_TRE_DAN")),
    _v("H061", NT, "tuyen cong nhan may", MCN, "duoi_3_thang", here("03256"), (4.5, 6), None,
       (SMM, "MAY_TRE_DAN")),
    _v("H062", NT, "may tre dan xuat khau", "MAY_TRE_DAN", "duoi_3_thang", here("03253"),
       (3.5, 5), None, (MCN,)),
    _v("H063", NT, "han dien", "HAN", "so_cap", here("03334"), (6, 9), None, ("DIEN_DAN_DUNG",)),
    _v("H064", NT, "tho han cong trinh", "HAN", "so_cap", here("03127"), (7, 10), None,
       ("DIEN_DAN_DUNG",)),
    _v("H065", NT, "tho dien dan dung", "DIEN_DAN_DUNG", "so_cap", here("03253"), (5, 7), None,
       ("HAN", SDT)),
    _v("H066", NT, "lai xe tai", LX, "so_cap", here("03166"), (8, 11), (23, 50), (SXM,)),
    _v("H067", NT, "sua xe may", SXM, "duoi_3_thang", here("03160"), (4, 6), None, (LX, SMM)),
    _v("H068", NT, "che bien go", GO, "duoi_3_thang", here("03217"), (4.5, 6), None, (CHE, NS)),
    _v("H069", NT, "cong nhan che bien thuc pham", NS, "duoi_3_thang", here("03127"), (4.5, 6),
       None, (GO, TACN)),
    _v("H070", NT, "ban hang dien thoai", BH, None, here("03256"), (4.5, 6), None, (SDT,)),
    _v("H071", NT, "nuoi ong", "NUOI_ONG", "duoi_3_thang", here("03181"), (3.5, 5), None,
       ("NUOI_CA",)),
    _v("H072", NT, "van hanh may nong nghiep", VNN, "duoi_3_thang", here("03352"), (4.5, 6),
       None, (SNN,)),
    # Programmes abroad that require a language level
    _v("H073", AL, "Kỹ năng đặc định ngành hàn - Nhật Bản (tiếng Nhật N4)", "HAN", "so_cap",
       abroad("Nhật Bản"), (30, 35), (20, 35), language=JA_N4, start="2026-10-01",
       skills=("hàn hồ quang", "tiếng Nhật N4")),
    _v("H074", AL, "TTS chế biến thực phẩm Nhật Bản - yêu cầu N4", NS, None, abroad("Nhật Bản"),
       (28, 32), (18, 30), (GO,), language=JA_N4, start="2026-10-01", also=LANGUAGE,
       skills=("tiếng Nhật N4",)),
    _v("H075", AL, "TTS nông nghiệp Nhật Bản (trồng rau) - tiếng Nhật N5", "TRONG_RAU", None,
       abroad("Nhật Bản"), (27, 30), (18, 32), language=JA_N5, start="2026-11-01",
       also=LANGUAGE, skills=("tiếng Nhật N5",)),
    _v("H076", AL, "Kỹ năng đặc định xây dựng Nhật Bản - tiếng Nhật N4", NE, "so_cap",
       abroad("Nhật Bản"), (30, 34), (20, 35), (BH,), language=JA_N4, start="2026-10-01",
       skills=("tiếng Nhật N4",)),
    _v("H077", AL, "Điều dưỡng kaigo Nhật Bản - tiếng Nhật N3", "DIEU_DUONG_CHAM_SOC", "so_cap",
       abroad("Nhật Bản"), (32, 36), (20, 35), ("CHAM_SOC_SAC_DEP",), language=JA_N3,
       start="2026-12-01", skills=("chăm sóc người cao tuổi", "tiếng Nhật N3")),
    _v("H078", AL, "TTS may mặc Nhật Bản (N5)", MCN, "duoi_3_thang", abroad("Nhật Bản"),
       (26, 30), (18, 30), (SMM,), language=JA_N5, start="2026-11-01",
       skills=("tiếng Nhật N5",)),
    _v("H079", AL, "EPS Hàn Quốc ngành sản xuất - hàn, cơ khí", "HAN", None, abroad(DL),
       (40, 45), (18, 39), language=KO_EPS, start="2026-11-01", also=LANGUAGE,
       skills=("đỗ EPS-TOPIK",)),
    _v("H080", AL, "EPS Hàn Quốc nông nghiệp trồng rau", "TRONG_RAU", None, abroad(DL),
       (40, 45), (18, 39), language=KO_EPS, start="2026-11-01", also=LANGUAGE,
       skills=("đỗ EPS-TOPIK",)),
    _v("H081", AL, "EPS Hàn Quốc chăn nuôi", "CHAN_NUOI_GIA_SUC", None, abroad(DL), (40, 45),
       (18, 39), language=KO_EPS, start="2026-11-01", also=LANGUAGE),
    _v("H082", AL, "Lao động thời vụ Hàn Quốc (E-8) thu hoạch nông sản", "TRONG_RAU", None,
       abroad(DL), (35, 40), (25, 55), start="2026-09-01",
       description="Thời vụ 5 tháng, không yêu cầu tiếng Hàn."),
    _v("H083", AL, "Công nhân điện tử Đài Loan (tiếng Trung cơ bản)", "DIEN_TU_CONG_NGHIEP",
       None, abroad(DP), (25, 30), (20, 40), (BH,), language=ZH_A1, start="2026-09-01",
       also=LINE_WORK),
    _v("H084", AL, "Hộ lý chăm sóc người già Đài Loan", "DIEU_DUONG_CHAM_SOC", "duoi_3_thang",
       abroad(DP), (25, 28), (25, 45), ("XOA_BOP_BAM_HUYET",), language=ZH_A1,
       start="2026-09-01", skills=("chăm sóc người cao tuổi", "tiếng Trung giao tiếp")),
    _v("H085", AL, "Công nhân may Đài Loan", MCN, "duoi_3_thang", abroad(DP), (24, 28),
       (20, 38), (SMM,), language=ZH_A1, start="2026-09-01"),
    _v("H086", AL, "TTS sửa chữa ô tô Nhật Bản - tiếng Nhật N4", OTO, "so_cap",
       abroad("Nhật Bản"), (28, 33), (20, 30), (LX,), language=JA_N4, start="2026-12-01",
       skills=("bảo dưỡng ô tô", "tiếng Nhật N4")),
    _v("H087", AL, "Kỹ năng đặc định nhà hàng Nhật Bản - N4", "NGHIEP_VU_NHA_HANG", None,
       abroad("Nhật Bản"), (30, 34), (20, 35), language=JA_N4, start="2026-10-01"),
    _v("H088", AL, "EPS Hàn Quốc ngư nghiệp nuôi cá", "NUOI_CA", None, abroad(DL), (40, 45),
       (18, 39), ("NUOI_ONG",), language=KO_EPS, start="2026-11-01", also=LANGUAGE),
    # A second training order: a wood-processing company in Mường Ảng
    _v("H089", OR, "Công nhân chế biến gỗ - đơn hàng đào tạo", GO, None, here("03256"),
       (5, 6.5), None, (NS,), order=ORDER_ID,
       description="Công ty chế biến gỗ Mường Ảng đặt hàng đào tạo, cam kết tuyển dụng."),
    _v("H090", OR, "Công nhân vận hành máy bào, máy chà nhám gỗ", GO, "duoi_3_thang",
       here("03256"), (5.5, 7), None, (CHE,), order=ORDER_ID),
    _v("H091", OR, "Công nhân sơn phủ đồ gỗ", GO, None, here("03256"), (5, 6.5), None,
       order=ORDER_ID),
    # Other trades that share a word
    _v("H092", SW, "Thợ điện công nghiệp", "DIEN_CONG_NGHIEP", "trung_cap", province("Bắc Ninh"),
       (10, 14), (20, 40), (SDT,)),
    _v("H093", SW, "Thợ điện dân dụng", "DIEN_DAN_DUNG", "so_cap", here("03334"), (6, 8), None,
       (SDT, "HAN")),
    _v("H094", SW, "Nhân viên kỹ thuật điện tử", "DIEN_TU_CONG_NGHIEP", "trung_cap",
       province("Thái Nguyên"), (9, 12), (18, 35), (BH,)),
    _v("H095", SW, "Nuôi cá lồng", "NUOI_CA", "duoi_3_thang", here("03151"), (4, 5.5), None,
       ("NUOI_ONG", "TRONG_NAM")),
    _v("H096", SW, "Chăn nuôi gà thả vườn", "CHAN_NUOI_GIA_CAM", "duoi_3_thang", here("03253"),
       (4, 5.5), None, ("NUOI_ONG",)),
    _v("H097", SW, "Lễ tân khách sạn", "QUAN_TRI_KHACH_SAN", "trung_cap", here("03334"),
       (6, 8), (20, 35)),
    _v("H098", SW, "Hướng dẫn viên du lịch cộng đồng", "HUONG_DAN_DU_LICH", "so_cap",
       here("03325"), (5, 7)),
    _v("H099", SW, "Trồng rau an toàn", "TRONG_RAU", "duoi_3_thang", here("03352"), (4, 5.5)),
    _v("H100", SW, "Chăm sóc người già tại gia", "DIEU_DUONG_CHAM_SOC", "duoi_3_thang",
       here("03127"), (5, 7), None, ("CHAM_SOC_SAC_DEP", "XOA_BOP_BAM_HUYET")),
)
# fmt: on

# Order-trained graduates of the second order: (order id, course, how many).
HARD_ORDER_COHORTS = ((ORDER_ID, GO, 6),)
