"""The layout of the follow-up sheet an institution fills in for one course's graduates:
who (ID number, or name and date of birth), which follow-up (3, 6 or 12 months after
graduation) and its outcome. Headers and notes are Vietnamese whatever the reader's language,
like the other sheets (models/excel/columns.py)."""

from __future__ import annotations

from models.excel.columns import CITIZEN_ID, RESULT_BIRTH, RESULT_NAME
from models.excel.types import Column
from models.follow_up_values import OCCUPATION_LABELS, SOURCE_LABELS, STATUS_LABELS

FOLLOW_UP_ID = Column(
    "citizen_id",
    CITIZEN_ID.header,
    aliases=CITIZEN_ID.aliases,
    note="Số định danh của người đã tốt nghiệp khóa học. Nếu để trống, ghi Họ và tên và Ngày sinh.",
    kind="code",
    width=18,
)
COURSE_CODE_CHECK = Column(
    "course_code",
    "Mã khóa học",
    note="Không bắt buộc. Nếu ghi, phải là mã của khóa học đã chọn khi tải tệp lên.",
    width=12,
)
MONTHS_AFTER = Column(
    "months_after",
    "Số tháng sau tốt nghiệp (3/6/12)",
    required=True,
    aliases=("Số tháng sau tốt nghiệp", "Mốc theo dõi", "Số tháng"),
    note="3, 6 hoặc 12: lần theo dõi sau khi tốt nghiệp.",
    choices=("3", "6", "12"),
    width=14,
)
FOLLOW_UP_STATUS = Column(
    "status",
    "Tình trạng việc làm",
    required=True,
    aliases=("Tình trạng", "Việc làm"),
    note="Một giá trị trong danh sách. Không liên lạc được: ghi để báo cáo tỷ lệ phản hồi.",
    choices=tuple(STATUS_LABELS.values()),
    width=26,
)
IN_TRAINED_OCCUPATION = Column(
    "in_trained_occupation",
    "Làm đúng nghề đã học",
    aliases=("Đúng nghề", "Làm đúng nghề", "Làm đúng nghề được đào tạo"),
    note="Có, Không hoặc Không rõ (để trống là Không rõ). Chỉ người có việc làm mới có thể "
    "làm đúng nghề.",
    choices=tuple(OCCUPATION_LABELS.values()),
    width=14,
)
INCOME = Column(
    "income",
    "Thu nhập bình quân tháng (đồng)",
    aliases=("Thu nhập", "Thu nhập bình quân tháng", "Thu nhập/tháng"),
    note="Không bắt buộc. Số đồng mỗi tháng, ví dụ 5000000 hoặc 5.000.000.",
    width=16,
)
SOURCE = Column(
    "source",
    "Nguồn thông tin",
    aliases=("Nguồn", "Cách thu thập"),
    note="Để trống là Điện thoại.",
    choices=tuple(SOURCE_LABELS.values()),
    width=18,
)
OBSERVED_ON = Column(
    "observed_on",
    "Ngày ghi nhận (dd/mm/yyyy)",
    required=True,
    aliases=("Ngày ghi nhận", "Ngày theo dõi", "Ngày khảo sát"),
    note="Ngày biết được tình trạng: không sau hôm nay, không trước ngày tốt nghiệp.",
    kind="date",
    width=14,
)

FOLLOW_UP_COLUMNS: tuple[Column, ...] = (
    FOLLOW_UP_ID,
    RESULT_NAME,
    RESULT_BIRTH,
    COURSE_CODE_CHECK,
    MONTHS_AFTER,
    FOLLOW_UP_STATUS,
    IN_TRAINED_OCCUPATION,
    INCOME,
    SOURCE,
    OBSERVED_ON,
)
FOLLOW_UP_INTRO = (
    "Mẫu nhập kết quả theo dõi việc làm sau tốt nghiệp của một khóa học.",
    "Mỗi dòng là một lần theo dõi (3, 6 hoặc 12 tháng sau tốt nghiệp) của một người đã tốt "
    "nghiệp khóa học, nhận theo số định danh (hoặc họ tên và ngày sinh).",
    "Mỗi người chỉ có một kết quả cho mỗi mốc. Dữ liệu chỉ được ghi khi toàn bộ tệp hợp lệ.",
)
