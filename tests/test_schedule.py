"""Schedule stage: time expressions of dispatches in, deadline records out.

Lines are as printed in dispatches (the sample texts s01-s05 and the forms of
the issue); each positive case has a negative one beside it, and the negative
corpus lists what a reader never takes for a limit on work.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from congvan.evaluate import evaluate_dir, format_report, thresholds_met
from congvan.extract import extract
from congvan.models import Deadline
from congvan import schedule
from congvan.schedule import find_deadlines
from congvan.segment import segment

DOC_DATE = "2023-07-03"


def deadlines(text: str, doc_date: str | None = DOC_DATE) -> tuple[list[Deadline], list[str]]:
    found, warnings = find_deadlines(text, segment(text), doc_date, [])
    for d in found:
        assert text[d.start:d.end] == d.text
    return found, warnings


def values(text: str, doc_date: str | None = DOC_DATE) -> list[tuple]:
    return [(d.date, d.kind, d.text) for d in deadlines(text, doc_date)[0]]


# ================================================================ limits with a cue


@pytest.mark.parametrize(
    "line,expected",
    [
        # s03
        ("Cục Thông tin cơ sở đề nghị Sở Thông tin và Truyền thông các tỉnh, thành phố triển khai "
         "thực hiện và báo cáo kết quả thực hiện về Cục Thông tin cơ sở trước ngày 20 tháng 9 năm "
         "2023 để tổng hợp.",
         ("2023-09-20", "by", "trước ngày 20 tháng 9 năm 2023")),
        ("Cục Thông tin cơ sở đề nghị tổ chức thông tin, tuyên truyền về công tác phòng, chống mua "
         "bán người từ nay đến hết tháng 8/2023 như sau:",
         ("2023-08", "until", "từ nay đến hết tháng 8/2023")),
        ("Triển khai thời gian thực hiện song song 2 quy trình đến hết ngày 26/9/2023.",
         ("2023-09-26", "until", "đến hết ngày 26/9/2023")),
        ("Hoàn thành trong quý III/2023.", ("2023-09", "within", "trong quý III/2023")),
        ("- Thời gian thực hiện: hoàn thành trong quý II/2024.",
         ("2024-06", "within", "trong quý II/2024")),
        ("Báo cáo kết quả về Sở Tư pháp trong tháng 12/2023.",
         ("2023-12", "within", "trong tháng 12/2023")),
        ("Phấn đấu hoàn thành việc đăng ký đất đai cuối năm 2023.", ("2023", "by", "cuối năm 2023")),
        ("Nộp hồ sơ trước 17 giờ ngày 20/9/2023.", ("2023-09-20", "by", "trước 17 giờ ngày 20/9/2023")),
        ("Hồ sơ gửi chậm nhất là ngày 05-10-2023.", ("2023-10-05", "by", "chậm nhất là ngày 05-10-2023")),
        ("Dự án Luật để Chính phủ trình Quốc hội trong năm 2024.", ("2024", "within", "trong năm 2024")),
        ("Thực hiện rà soát trong 6 tháng đầu năm 2024.",
         ("2024-06", "within", "trong 6 tháng đầu năm 2024")),
        ("Kéo dài thời gian thí điểm đến tháng 6/2024.", ("2024-06", "until", "đến tháng 6/2024")),
    ],
)
def test_a_cue_before_a_time_makes_a_limit(line: str, expected: tuple) -> None:
    assert values(line) == [expected]


def test_a_range_gives_both_ends() -> None:
    (d,), _ = deadlines("Tổ chức thực hiện từ ngày 01/6/2024 đến ngày 30/6/2024 tại các xã.")
    assert (d.date, d.start_date, d.kind, d.text) == (
        "2024-06-30", "2024-06-01", "until", "từ ngày 01/6/2024 đến ngày 30/6/2024")
    (d,), _ = deadlines("Tổ chức đợt cao điểm từ ngày 01 đến ngày 15/8/2023.")
    assert (d.date, d.start_date) == ("2023-08-15", "2023-08-01")
    (d,), _ = deadlines("Cử cán bộ tham gia công tác đăng ký từ tháng 01 năm 1981 đến tháng 12 năm 1982.",
                        "1980-11-10")
    assert (d.date, d.start_date, d.kind) == ("1982-12", "1981-01", "until")


def test_one_cue_serves_coordinated_times() -> None:
    assert values("Báo cáo kết quả trước ngày 15/9 và 15/12/2023.") == [
        ("2023-09-15", "by", "trước ngày 15/9"), ("2023-12-15", "by", "15/12/2023")]
    assert values("Báo cáo hằng năm gửi Sở trước ngày 15/6 và ngày 15/12 hằng năm.") == [
        (None, "recurring", "Báo cáo hằng năm gửi Sở trước ngày 15/6"),
        (None, "recurring", "ngày 15/12 hằng năm")]
    # a time after "và" with no limit before it stays a fact
    assert values("Tổ chức hội nghị ngày 15/9/2023 và ngày 20/9/2023.") == []


def test_a_horizon_is_not_a_limit_but_the_end_of_a_year_is() -> None:
    assert values("Phấn đấu đến năm 2025 đạt 100% xã có điểm tuyên truyền.") == []
    assert values("Phấn đấu đến cuối năm 2025 đạt 100% xã có điểm tuyên truyền.") == [
        ("2025", "until", "đến cuối năm 2025")]


def test_from_nay_starts_at_the_document_date() -> None:
    (d,), _ = deadlines("Tuyên truyền từ nay đến hết tháng 8/2023.")
    assert d.start_date == DOC_DATE


def test_a_start_is_kind_from_and_a_bare_tu_is_not() -> None:
    assert values("Bắt đầu từ ngày 01/8/2023, các đơn vị áp dụng mẫu mới.") == [
        ("2023-08-01", "from", "Bắt đầu từ ngày 01/8/2023")]
    assert values("Thực hiện thống nhất quy định của Luật từ ngày 01/8/2023.") == []


def test_a_missing_year_comes_from_the_document_date_with_a_warning() -> None:
    found, warnings = deadlines("Các đơn vị gửi báo cáo về Sở chậm nhất ngày 15/12.", "2023-11-20")
    assert [(d.date, d.kind) for d in found] == [("2023-12-15", "by")]
    assert len(warnings) == 1 and "2023-11-20" in warnings[0] and "chậm nhất ngày 15/12" in warnings[0]
    # in a December letter, "15/01" is next January
    found, _ = deadlines("Các đơn vị gửi báo cáo về Sở chậm nhất ngày 15/01.", "2023-12-20")
    assert found[0].date == "2024-01-15"


def test_no_document_date_leaves_a_yearless_limit_unresolved() -> None:
    found, warnings = deadlines("Các đơn vị gửi báo cáo về Sở chậm nhất ngày 15/12.", None)
    assert [(d.date, d.kind) for d in found] == [(None, "by")]
    assert len(warnings) == 1 and "no date" in warnings[0]
    # a printed year needs no document date, and no warning
    found, warnings = deadlines("Báo cáo trước ngày 15/12/2023.", None)
    assert [d.date for d in found] == ["2023-12-15"] and warnings == []


# ================================================================ recurring limits


@pytest.mark.parametrize(
    "line,text",
    [
        ("Các xã báo cáo kết quả về Ủy ban nhân dân huyện trước ngày 15 hằng tháng.",
         "trước ngày 15 hằng tháng"),
        ("Tổng hợp báo cáo gửi Ủy ban nhân dân tỉnh trước ngày 30 tháng 11 hằng năm.",
         "trước ngày 30 tháng 11 hằng năm"),
        ("Thời hạn đánh giá: Trước ngày mùng 3 hàng tháng.", "Trước ngày mùng 3 hàng tháng"),
        ("Các sở chủ động xây dựng kế hoạch;\nđịnh kỳ hàng năm (trước ngày 15/11 và đột xuất) báo cáo kết quả "
         "về Sở Lao động - Thương binh và Xã hội.",
         "định kỳ hàng năm (trước ngày 15/11"),
        ("Báo cáo, đánh giá tình hình thực hiện hàng quý trước ngày 15 của tháng cuối quý.",
         "Báo cáo, đánh giá tình hình thực hiện hàng quý trước ngày 15 của tháng cuối quý"),
        ("Định kỳ hằng quý, tổng hợp, đánh giá tình hình thực hiện các chỉ tiêu tại các Phụ lục, gửi "
         "Văn phòng Bộ trước ngày 15 tháng cuối quý để tổng hợp.",
         "gửi Văn phòng Bộ trước ngày 15 tháng cuối quý"),
        ("Các đơn vị báo cáo định kỳ 6 tháng về Sở Tư pháp.", "định kỳ 6 tháng"),
    ],
)
def test_recurring_limits_have_no_date(line: str, text: str) -> None:
    assert values(line) == [(None, "recurring", text)]


@pytest.mark.parametrize(
    "line",
    [
        "Văn phòng Bộ định kỳ 6 tháng/lần tổ chức Hội nghị giao ban với các Sở.",  # a habit, no report
        "- Thời gian thực hiện: Thực hiện thường xuyên hằng năm.",
        "Mức trợ cấp hàng tháng cho các đối tượng bảo trợ xã hội sống tại cộng đồng.",
        "Thực hiện chế độ báo cáo định kỳ và đột xuất về Sở Lao động - Thương binh và Xã hội.",
        "Đưa nội dung thông tin ngày 30/7 hằng năm là “Ngày thế giới phòng chống mua bán người”.",  # s04
    ],
)
def test_a_frequency_alone_is_no_limit(line: str) -> None:
    assert values(line) == []


# ================================================================ timetables


@pytest.mark.parametrize(
    "line,expected",
    [
        ("- Thời gian thực hiện: Quý I/2015.", ("2015-03", "within", "Quý I/2015")),
        ("- Thời gian thực hiện: Cả năm 2015.", ("2015", "within", "Cả năm 2015")),
        ("- Thời gian thực hiện: Quý II, III/2015.", ("2015-09", "within", "Quý II, III/2015")),
        ("- Thời gian thực hiện: Quý II và III/2015.", ("2015-09", "within", "Quý II và III/2015")),
        ("- Thời gian hoàn thành: Quý IV/2015.", ("2015-12", "by", "Quý IV/2015")),
        # a single day is a point to meet, not a window
        ("- Thời gian thực hiện: Ngày 09/11/2015.", ("2015-11-09", "by", "Ngày 09/11/2015")),
        ("Cuối năm, báo cáo kết quả hoạt động phối hợp về Vụ Các vấn đề chung.", ("2015", "by", "Cuối năm")),
    ],
)
def test_timetable_fields(line: str, expected: tuple) -> None:
    assert values(line, "2015-01-29") == [expected]


def test_a_multi_quarter_window_starts_with_its_first_quarter() -> None:
    (d,), _ = deadlines("- Thời gian thực hiện: Quý II, III/2015.", "2015-01-29")
    assert (d.date, d.start_date) == ("2015-09", "2015-04")
    (d,), _ = deadlines("- Thời gian thực hiện: Quý II/2015.", "2015-01-29")
    assert d.start_date is None


TIMETABLE = (
    "| STT | Tên đề án | Cấp trình | Thời gian trình | Ghi chú |\n"
    "| --- | --- | --- | --- | --- |\n"
    "| 1 | Đề án kiểm kê đất đai | Chính phủ | Tháng 12 | |\n"
    "| 2 | Nghị định về giá đất | Chính phủ | Tháng 9/2024 | Theo NQ 01, thời gian trình là tháng 5/2024. |\n"
)


def test_a_timetable_column_gives_its_cells() -> None:
    found, warnings = deadlines(TIMETABLE, "2024-01-08")
    assert [(d.date, d.kind, d.text) for d in found] == [
        ("2024-12", "within", "Tháng 12"), ("2024-09", "within", "Tháng 9/2024")]
    assert len(warnings) == 1 and "Tháng 12" in warnings[0]


def test_a_table_without_a_time_column_gives_none() -> None:
    table = TIMETABLE.replace("Thời gian trình", "Cơ quan trình")
    assert values(table, "2024-01-08") == []


# ================================================================ not deadlines


NOT_DEADLINES = [
    # commemorated days (s01, s03)
    "Phản ánh các hoạt động hưởng ứng “Ngày toàn dân phòng, chống mua bán người - 30/7” năm 2023.",
    "Tổ chức mít tinh chào mừng Ngày Quốc tế Phụ nữ 8/3.",
    "Tổ chức mít tinh nhân dịp Ngày Quốc tế Phụ nữ trong ngày 8/3/2024.",
    # cited documents, also in later mentions (s02, s03)
    "- Kế hoạch số 38/KH-BCĐ ngày 20/02/2023 của Ban Chỉ đạo 138 tỉnh thực hiện công tác phòng, "
    "chống tội phạm năm 2023;",
    "Thực hiện Công văn số 2556/BTTTT-Ttra ngày 03 tháng 7 năm 2023 của Bộ Thông tin và Truyền thông.",
    "Sửa đổi, bổ sung một số điều của Nghị định số ngày 07/01/2024 của Chính phủ.",
    # programme periods and horizons (s03)
    "Quyết định số 193/QĐ-TTg phê duyệt Chương trình phòng, chống tội phạm mua bán người giai đoạn "
    "2021-2025, định hướng đến năm 2030.",
    "Triển khai Chương trình giai đoạn từ năm 2024 đến năm 2025.",
    "Quy hoạch không gian biển quốc gia thời kỳ 2021-2030, tầm nhìn đến năm 2050.",
    "Chương trình xây dựng luật, pháp lệnh năm 2024.",
    # past events and facts
    "Ngày 15/3/2023, Công an tỉnh đã bắt giữ 5 đối tượng.",
    "Trong tháng 7/2023, Công an tỉnh đã bắt giữ 5 đối tượng mua bán người.",
    "Tính đến ngày 31/12/2023, toàn tỉnh có 120 nạn nhân được hỗ trợ.",
    "Luật có hiệu lực thi hành từ ngày 01/01/2024.",
    "Quyết định này có hiệu lực kể từ ngày ký.",
    "Chi phí phát sinh từ ngày 15 tháng 12 năm 2023 đến hết ngày 31 tháng 12 năm 2023 được Quỹ thanh toán.",
    "Đối với trường hợp nghỉ tinh giản trong quý IV, hồ sơ được xét sau.",
    # numbers that are not dates
    "Số điện thoại đường dây nóng: 0205.3812.345; tiếp nhận thông tin 24/7.",
    "Thực hiện theo Nghị định số 30/2020/NĐ-CP của Chính phủ; phấn đấu hoàn thành 63/63 tỉnh.",
    # "tháng năm" pitfalls
    "Hà Nội, ngày tháng năm 2023",
    "Tiếp tục theo dõi trong các tháng, năm tiếp theo.",
    "Trẻ em từ 18 tháng tuổi trở lên; người lao động làm việc trong 12 tháng.",
]


@pytest.mark.parametrize("line", NOT_DEADLINES)
def test_not_deadlines(line: str) -> None:
    assert values(line) == []


def test_an_earlier_date_is_a_fact_not_a_limit() -> None:
    assert values("Việc thiết lập và thông báo thực hiện trước ngày 15/02/2017.", "2023-07-03") == []
    assert values("Việc thiết lập và thông báo thực hiện trước ngày 15/02/2017.", "2017-02-13") == [
        ("2017-02-15", "by", "trước ngày 15/02/2017")]


def test_a_condition_ends_at_its_comma() -> None:
    line = ("Đợt 4: Đối với trường hợp nghỉ tinh giản trong quý IV hồ sơ gửi trước ngày 15/8/2025; "
            "trường hợp cần thiết, báo cáo trước ngày 20/9/2025.")
    assert [d.date for d in deadlines(line, "2024-10-28")[0]] == ["2025-08-15", "2025-09-20"]


SIGNATURE = ("Nơi nhận:\n- Như trên (báo cáo trước ngày 20/9/2023);\n- Lưu: VT.\n\n"
             "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\nLê Hải Yến")


def test_nothing_is_read_in_the_noi_nhan_and_signature() -> None:
    body = "Các đơn vị báo cáo kết quả trước ngày 15/9/2023./.\n\n"
    assert [d.date for d in deadlines(body + SIGNATURE)[0]] == ["2023-09-15"]


def test_the_own_date_and_cited_documents_are_skipped_through_extract() -> None:
    text = ("Số: 124/KH-UBND\n\nLạng Sơn, ngày 03 tháng 7 năm 2023\n\nV/v tuyên truyền\n\n"
            "Thực hiện Kế hoạch số 38/KH-BCĐ ngày 20/02/2023 của Ban Chỉ đạo 138 tỉnh, đề nghị các "
            "đơn vị báo cáo kết quả trước ngày 20 tháng 9 năm 2023.\n\n" + SIGNATURE)
    x = extract(text)
    assert [(d.date, d.kind) for d in x.deadlines] == [("2023-09-20", "by")]
    for d in x.deadlines:
        assert x.text[d.start:d.end] == d.text


# ================================================================ the dev corpus


def test_dev_corpus_deadlines(dev_corpus: Path) -> None:
    report = evaluate_dir(dev_corpus, lambda text: extract(text).to_json())
    failed = thresholds_met(report, {"deadlines.f1": 0.85, "deadlines.kind": 0.85})
    assert not failed, "\n".join(failed) + "\n" + format_report(report)


TIME_PHRASES = [
    "ngày 15 tháng cuối quý", "trước ngày 20 tháng 9 năm 2023", "ngày 30 tháng 11 hằng năm",
    "ngày 01/6/2020", "15/02/2017", "20-9-2023", "chậm nhất ngày 15/12", "ngày 15/11 hằng năm",
    "từ 01/6 đến 30/6/2020", "ngày 15 hằng tháng", "từ ngày 01 đến ngày 15/7/2024",
    "6 tháng đầu năm 2024", "sáu tháng cuối năm", "quý II/2020", "Quý II, III/2015",
    "cuối quý III năm 2023", "tháng 8/2023", "Tháng 12", "cuối tháng 9", "tháng 11 hằng năm",
    "năm 2024", "Cả năm 2015", "cuối năm 2023", "Cuối năm, báo cáo", "ngày mùng 3 hàng tháng",
]


@pytest.mark.parametrize("phrase", TIME_PHRASES)
def test_the_fast_time_scan_finds_what_the_full_grammar_finds(phrase):
    # the scan tries the grammar only at _OPENING_WORDS and day numbers: every
    # alternative of the grammar must open with one of them
    grammar = schedule._patterns()["time"]
    for text in (phrase, f"Các đơn vị báo cáo {phrase}; tổng hợp.", phrase.upper()):
        full = [(m.start(), m.end()) for m in grammar.finditer(text)]
        assert full, text
        assert [(m.start(), m.end()) for m in schedule._times(text, grammar)] == full


# ================================================================ recurring, relative, tables


@pytest.mark.parametrize("line, expected", [
    ("Các đơn vị báo cáo kết quả vào thứ Sáu hằng tuần.", (None, "recurring", "thứ Sáu hằng tuần")),
    ("Định kỳ hằng năm trước ngày 15 tháng 12, các sở báo cáo về Sở Tư pháp.",
     (None, "recurring", "Định kỳ hằng năm trước ngày 15 tháng 12")),
    ("- Thời gian hoàn thành: Hằng năm.", (None, "recurring", "Hằng năm")),
    ("- Thời gian thực hiện: 2026-2030.", ("2030", "until", "2026-2030")),
    ("Trong thời hạn 05 ngày làm việc kể từ ngày nhận được hồ sơ, Chi cục Hải quan trả lời.",
     (None, "within", "Trong thời hạn 05 ngày làm việc kể từ ngày nhận được hồ sơ")),
    ("Chi cục báo cáo trong vòng 24 giờ kể từ khi phát hiện vụ việc.",
     (None, "within", "trong vòng 24 giờ kể từ khi phát hiện vụ việc")),
    ("Chậm nhất 03 ngày sau khi kết thúc đợt cao điểm, các đơn vị gửi báo cáo.",
     (None, "within", "Chậm nhất 03 ngày sau khi kết thúc đợt cao điểm")),
])
def test_recurring_and_relative_limits(line: str, expected: tuple) -> None:
    assert values(line, "2025-01-10") == [expected]


@pytest.mark.parametrize("line", [
    "Trong 3 năm qua, tình hình tội phạm diễn biến phức tạp.",  # a period, looking back
    "Quyết định có hiệu lực sau 15 ngày kể từ ngày ký.",  # an effective date
    "Theo quy luật thời điểm cuối năm, các yếu tố tiêu cực sẽ gia tăng.",  # no limit
    "Chương trình thực hiện trong giai đoạn 2026-2030.",  # a programme's period
    "- Thời gian thực hiện: Thực hiện thường xuyên hằng năm.",  # ongoing work
    "Điện thoại: 0243.3742-2023",
])
def test_not_recurring_or_relative_limits(line: str) -> None:
    assert values(line, "2025-01-10") == []


def test_a_limit_counted_from_an_event_binds_only_a_task() -> None:
    from congvan.extract import extract

    rule = "Người khai hải quan nộp tờ khai trong thời hạn 30 ngày kể từ ngày hàng hóa đến cửa khẩu."
    assert extract(rule).deadlines == []  # the law's rule for declarants, quoted
    task = ("Đề nghị Chi cục Hải quan cửa khẩu trả lời doanh nghiệp trong thời hạn 05 ngày làm "
            "việc kể từ ngày nhận được văn bản.")
    assert [(d.date, d.kind) for d in extract(task).deadlines] == [(None, "within")]



PROCEDURE = """ỦY BAN NHÂN DÂN
TỈNH LẠNG SƠN
Số: 15/QĐ-UBND
Lạng Sơn, ngày 05 tháng 3 năm 2025
QUYẾT ĐỊNH
Về việc công bố thủ tục hành chính trong lĩnh vực hộ tịch
1. Thủ tục đăng ký khai sinh
Trong thời hạn 03 ngày làm việc kể từ ngày nhận đủ hồ sơ, công chức tư pháp - hộ tịch kiểm tra hồ sơ.
Thời gian hỗ trợ tối đa không quá 30 ngày.
"""


def test_a_decision_issuing_a_procedure_sets_its_own_limits() -> None:
    """A Quyết định sets the limit by its own provision; a dispatch that says the same
    words restates the law (above). How long a benefit lasts is no limit on work."""
    got = [(d.date, d.kind, d.text) for d in extract(PROCEDURE).deadlines]
    assert got == [(None, "within", "Trong thời hạn 03 ngày làm việc kể từ ngày nhận đủ hồ sơ")]


@pytest.mark.parametrize("line,expected", [
    ("c) Thời hạn giải quyết: 05 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.",
     "05 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ"),
    ("- Thời hạn giải quyết: Trong thời hạn 03 ngày làm việc, kể từ ngày nhận được hồ sơ.",
     "Trong thời hạn 03 ngày làm việc, kể từ ngày nhận được hồ sơ"),
    ("5.4.2. Thời hạn thẩm định hồ sơ: Không quá 10 ngày làm việc kể từ ngày nhận hồ sơ.",
     "Không quá 10 ngày làm việc kể từ ngày nhận hồ sơ"),
    ("Thời gian giải quyết: 10 ngày", "10 ngày"),
])
def test_a_processing_time_field_is_a_limit_wherever_it_stands(line: str, expected: str) -> None:
    assert [(d.date, d.kind, d.text) for d in extract(line).deadlines] == [(None, "within", expected)]


@pytest.mark.parametrize("line", [
    "Thời hạn của giấy phép: 05 năm.",  # how long a licence lasts
    "Thời hạn sử dụng đất: 50 năm kể từ ngày có quyết định giao đất.",
    "Thời gian hỗ trợ tối đa không quá 30 ngày.",  # in a dispatch, a duration
])
def test_durations_are_not_processing_times(line: str) -> None:
    assert extract(line).deadlines == []

FLAT_TABLE = """KẾ HOẠCH
Phòng, chống mua bán người năm 2026
PHỤ LỤC
TT
Nhiệm vụ
Cơ quan chủ trì
Cơ quan phối hợp
Thời gian hoàn thành
Sản phẩm
1
Tuyên truyền về phòng, chống mua bán người
Sở Thông tin và Truyền thông
Công an tỉnh; Sở Văn hóa, Thể thao và Du lịch
Quý I/2027
Kế hoạch
2
Rà soát hộ nghèo
Sở Lao động - Thương binh và Xã hội
Hằng năm
Báo cáo
3
Tổng kết thực hiện chương trình
Công an tỉnh
Các sở, ban, ngành
2026-2030
Báo cáo tổng kết
"""


def test_a_task_table_printed_one_cell_a_line_gives_each_rows_deadline() -> None:
    assert values(FLAT_TABLE, "2026-01-10") == [
        ("2027-03", "within", "Quý I/2027"), (None, "recurring", "Hằng năm"),
        ("2030", "until", "2026-2030")]
    barred = FLAT_TABLE.replace("\n", "\n|\n")  # cells between lines of "|" (a web page)
    assert values(barred, "2026-01-10") == values(FLAT_TABLE, "2026-01-10")
