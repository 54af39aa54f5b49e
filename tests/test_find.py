"""Find stage, through ``congvan.extract.extract``: header fields, citations, recipients.

Each test reads like a dispatch: lines as printed (from the sample dispatches
under data/raw/ or the forms of ADMIN_DOCS.md) in, the expected record out, and
a negative case beside each positive one. Every record with offsets is checked
against the cleaned text it points into.
"""
from __future__ import annotations

import pytest

from congvan.extract import extract
from congvan.models import DocumentInfo, Extraction


def check_offsets(x: Extraction) -> None:
    for name in DocumentInfo.FIELDS:
        f = getattr(x.document, name)
        if f is not None:
            assert x.text[f.start:f.end] == f.text, name
    for r in x.references:
        assert x.text[r.start:r.end] == r.text
    for r in x.recipients:
        assert x.text[r.start:r.end] == r.text


def ex(text: str) -> Extraction:
    x = extract(text)
    check_offsets(x)
    return x


def doc(*lines: str) -> str:
    """Lines as a converter lays them out: a blank line between each."""
    return "\n\n".join(lines) + "\n"


def refs(x: Extraction) -> list[tuple]:
    return [(r.doc_type, r.number, r.symbol, r.date) for r in x.references]


def names(x: Extraction, kind: str) -> list[str]:
    return [r.name for r in x.recipients if r.kind == kind]


SIGNATURE = ("Nơi nhận:\n- Như trên;\n- Lưu: VT.\n\n"
             "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\nLê Hải Yến")
PLACE_DATE = "Lạng Sơn, ngày 16 tháng 7 năm 2019"
VV = "V/v tuyên truyền"


# ================================================================ number and symbol


@pytest.mark.parametrize(
    "line,number,symbol",
    [
        ("Số: 124/KH-UBND", "124", "KH-UBND"),
        ("Số:    /STTTT-TTBCXB", None, "STTTT-TTBCXB"),  # a draft: number left blank
        ("Số: 1989/V11 -TTTTBC", "1989", "V11-TTTTBC"),  # spaces removed
        ("Số: 2556/BTTTT-Ttra", "2556", "BTTTT-Ttra"),  # mixed-case code
        ("Số: 119-KH/TU", "119", "KH/TU"),  # party form
        ("Số: 37-CT/TW", "37", "CT/TW"),
        ("Số: 05/KH-UBND", "5", "KH-UBND"),  # leading zero dropped
        ("Số: 299/TTg", "299", "TTg"),
        ("Số: 600/KH-TBCĐKH506", "600", "KH-TBCĐKH506"),
    ],
)
def test_number_and_symbol_of_the_text(line: str, number: str | None, symbol: str) -> None:
    x = ex(doc(line, PLACE_DATE, VV, SIGNATURE))
    assert x.document.value("number") == number
    assert x.document.value("symbol") == symbol
    assert x.document.symbol.text.replace(" ", "") in line.replace(" ", "")


def test_blank_number_line_has_neither_number_nor_symbol() -> None:
    x = ex(doc("Số:", "*Hà Nội, ngày tháng năm 2023*", VV, SIGNATURE))  # s03
    assert x.document.value("number") is None
    assert x.document.value("symbol") is None


def test_own_number_is_not_a_reference() -> None:
    x = ex(doc("Số: 124/KH-UBND", PLACE_DATE, "KẾ HOẠCH", "Tuyên truyền phòng, chống mua bán người",
               "(Kèm theo Kế hoạch số 124/KH-UBND ngày 16/7/2019 của UBND tỉnh)",
               "Căn cứ Chỉ thị số 37-CT/TW của Ban Bí thư;", SIGNATURE))
    assert x.document.value("number") == "124"
    assert refs(x) == [("Chỉ thị", "37", "CT/TW", None)]


# ================================================================ citations


@pytest.mark.parametrize(
    "sentence,expected,issuer",
    [
        ("Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;",
         ("Nghị định", "30", "2020/NĐ-CP", "2020-03-05"), "Chính phủ"),
        ("Thực hiện Kế hoạch số 124/KH-UBND ngày 16/7/2019 của UBND tỉnh về phối hợp tổ chức;",  # s01
         ("Kế hoạch", "124", "KH-UBND", "2019-07-16"), "Ủy ban nhân dân tỉnh"),
        ("Thực hiện Công văn số 2556/BTTTT-Ttra ngày 03 tháng 7 năm 2023 của Bộ Thông tin và Truyền thông về việc hưởng ứng;",  # s03
         ("Công văn", "2556", "BTTTT-Ttra", "2023-07-03"), "Bộ Thông tin và Truyền thông"),
        ("Thực hiện Kế hoạch số 119-KH/TU ngày 10/5/2019 của Ban Thường vụ Tỉnh ủy;",
         ("Kế hoạch", "119", "KH/TU", "2019-05-10"), "Ban Thường vụ Tỉnh ủy"),
        ("Thực hiện Chỉ thị số 37-CT/TW của Ban Bí thư;",
         ("Chỉ thị", "37", "CT/TW", None), "Ban Bí thư"),
        ("Căn cứ Quyết định số 169-CP của Hội đồng Chính phủ;",
         ("Quyết định", "169", "CP", None), "Hội đồng Chính phủ"),
        ("Thực hiện Kế hoạch số 05/KH-UBND ngày 7/1/2020 của UBND tỉnh;",
         ("Kế hoạch", "5", "KH-UBND", "2020-01-07"), "Ủy ban nhân dân tỉnh"),
        ("Quyết định số 193/QĐ-TTg ngày 09/02/2021 của Thủ tướng Chính phủ phê duyệt Chương trình;",  # s03
         ("Quyết định", "193", "QĐ-TTg", "2021-02-09"), "Thủ tướng Chính phủ"),
        ("Căn cứ Luật Hải quan số 29/2001/QH10 ngày 29 tháng 6 năm 2001;",
         ("Luật", "29", "2001/QH10", "2001-06-29"), None),
    ],
)
def test_a_citation_gives_one_reference(sentence: str, expected: tuple, issuer: str | None) -> None:
    x = ex(doc(sentence))
    assert refs(x) == [expected]
    assert x.references[0].issuer == issuer


@pytest.mark.parametrize(
    "sentence",
    [
        # a body's name, not a citation (s04)
        "Ngày 8/4/2020, Ban Chỉ đạo 389/CP ban hành Kế hoạch triển khai thực hiện Quyết định của "
        "Thủ tướng Chính phủ hưởng ứng “Ngày toàn dân phòng, chống mua bán người – 30/7” năm nay.",
        # a law named without a number
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
        # a commemorated day and a date
        "Hưởng ứng “Ngày toàn dân phòng, chống mua bán người - 30/7” năm 2019 từ ngày 16/7/2019.",
        # a form's number
        "Tờ khai theo mẫu số 03/KBS/GSQL.",
    ],
)
def test_numbers_that_are_not_citations(sentence: str) -> None:
    assert ex(doc(sentence)).references == []


def test_form_number_is_dropped_but_the_circular_beside_it_is_kept() -> None:
    x = ex(doc("Tờ khai hải quan theo mẫu số 03/KBS/GSQL ban hành kèm theo Thông tư số 38/2015/TT-BTC."))
    assert refs(x) == [("Thông tư", "38", "2015/TT-BTC", None)]


def test_repeated_citations_are_one_reference() -> None:
    # s02: the grounds and the list of attachments cite the same plans
    x = ex(doc(
        "Thực hiện Kế hoạch số 38/KH-BCĐ ngày 20/02/2023 của Ban Chỉ đạo 138 tỉnh thực hiện công tác "
        "phòng, chống tội phạm năm 2023; Kế hoạch số 40/KH-BCĐ ngày 22/02/2023 của Ban Chỉ đạo 138 tỉnh "
        "thực hiện công tác phòng, chống mua bán người năm 2023;",
        "Gửi kèm trên VNPT-iOffice:",
        "- Kế hoạch số 38/KH-BCĐ ngày 20/02/2023 của Ban Chỉ đạo 138 tỉnh thực hiện công tác phòng, "
        "chống tội phạm năm 2023;",
        "- Kế hoạch số 40/KH-BCĐ ngày 22/02/2023 của Ban Chỉ đạo 138 tỉnh thực hiện công tác phòng, "
        "chống mua bán người năm 2023.",
    ))
    assert refs(x) == [("Kế hoạch", "38", "KH-BCĐ", "2023-02-20"), ("Kế hoạch", "40", "KH-BCĐ", "2023-02-22")]
    assert [r.mentions for r in x.references] == [2, 2]
    assert [r.issuer for r in x.references] == ["Ban Chỉ đạo 138 tỉnh"] * 2
    # the record points at the first mention
    assert x.references[0].start < x.text.index("Gửi kèm")


def test_later_short_mention_resolves_to_the_first_full_one() -> None:
    x = ex(doc(
        "Căn cứ Thông tư số 22/2014/TT-BTC ngày 14/02/2014 của Bộ Tài chính;",
        "Tổng cục Hải quan hướng dẫn như sau: Thông tư 22/2014/TT-BTC quy định rõ thủ tục.",
    ))
    assert refs(x) == [("Thông tư", "22", "2014/TT-BTC", "2014-02-14")]
    assert x.references[0].mentions == 2
    assert x.references[0].issuer == "Bộ Tài chính"


def test_different_numbers_with_one_symbol_stay_apart() -> None:
    x = ex(doc("Thực hiện Kế hoạch số 40/KH-BCĐ ngày 22/02/2023 và Kế hoạch số 41/KH-BCĐ ngày 22/02/2023;"))
    assert [r.number for r in x.references] == ["40", "41"]


DATE_SENTENCE = (
    "Ngày 7/6/2019, Ban Chỉ đạo phòng, chống tội phạm, tệ nạn xã hội và xây dựng phong trào toàn dân "
    "bảo vệ an ninh Tổ quốc tỉnh Lạng Sơn (gọi tắt là Ban Chỉ đạo 138 tỉnh) đã ban hành Kế hoạch số "
    "78/KH-BCĐ về việc triển khai thực hiện các hoạt động hưởng ứng “Ngày toàn dân phòng, chống mua "
    "bán người - 30/7” năm 2019."
)  # s05


def test_date_opening_the_sentence_is_the_cited_documents_date() -> None:
    x = ex("Nhằm phát huy sức mạnh tổng hợp của cả hệ thống chính trị. " + DATE_SENTENCE)
    assert refs(x) == [("Kế hoạch", "78", "KH-BCĐ", "2019-06-07")]


def test_date_of_another_sentence_is_not_taken() -> None:
    x = ex(doc("Ngày 7/6/2019, Ban Chỉ đạo họp. Sở Tư pháp thực hiện Kế hoạch số 78/KH-BCĐ."))
    assert refs(x) == [("Kế hoạch", "78", "KH-BCĐ", None)]


def test_date_opening_the_sentence_without_an_issuing_verb_is_not_taken() -> None:
    x = ex(doc("Ngày 8/6/2019, Sở Tư pháp tổ chức triển khai Kế hoạch số 79/KH-BCĐ."))
    assert refs(x) == [("Kế hoạch", "79", "KH-BCĐ", None)]


def test_date_opening_the_first_sentence_of_the_text() -> None:
    x = ex(DATE_SENTENCE)
    assert refs(x) == [("Kế hoạch", "78", "KH-BCĐ", "2019-06-07")]


# ================================================================ place and date


@pytest.mark.parametrize(
    "line,place,date",
    [
        ("Lạng Sơn, ngày 16 tháng 7 năm 2019", "Lạng Sơn", "2019-07-16"),
        ("Lạng Sơn, ngày   tháng 7 năm 2019", "Lạng Sơn", "2019-07"),  # s01: day left blank
        ("Hà Nội, ngày   tháng   năm 2023", "Hà Nội", "2023"),  # all blank
        ("*Hà Nội, ngày tháng năm 2023*", "Hà Nội", "2023"),  # s03, in markdown italics
        ("Hà Nội, ngày ... tháng ... năm 2023", "Hà Nội", "2023"),
        ("TP. Hồ Chí Minh, ngày 05 tháng 4 năm 2017", "TP. Hồ Chí Minh", "2017-04-05"),
    ],
)
def test_place_and_issue_date(line: str, place: str, date: str) -> None:
    x = ex(doc("Số: 12/UBND-VX", line, VV, SIGNATURE))
    assert x.document.value("place") == place
    assert x.document.value("issue_date") == date
    if len(date) < 10:
        assert any("precision" in w for w in x.warnings)
    else:
        assert x.warnings == []


def test_place_is_cut_from_a_header_run_together_on_one_line() -> None:
    x = ex("BỘ TÀI CHÍNH TỔNG CỤC HẢI QUAN ------- CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - "
           "Hạnh phúc --------------- Số: 2765/TCHQ-GSQL Hà Nội, ngày 12 tháng 5 năm 2014 V/v thủ tục hải quan\n")
    assert x.document.value("place") == "Hà Nội"
    assert x.document.value("issue_date") == "2014-05-12"


def test_impossible_date_is_no_date() -> None:
    x = ex(doc("Số: 12/UBND-VX", "Lạng Sơn, ngày 16 tháng 13 năm 2019", VV, SIGNATURE))
    assert x.document.value("issue_date") is None
    assert x.document.value("place") == "Lạng Sơn"


def test_a_cited_date_in_the_body_is_not_the_issue_date() -> None:
    x = ex(doc("Số: 12/UBND-VX", VV, "Thực hiện Kế hoạch số 124/KH-UBND ngày 16/7/2019 của UBND tỉnh;", SIGNATURE))
    assert x.document.value("issue_date") is None
    assert x.document.value("place") is None


# ================================================================ document type


@pytest.mark.parametrize(
    "title,doc_type",
    [("QUYẾT ĐỊNH", "Quyết định"), ("CHỈ THỊ", "Chỉ thị"), ("KẾ HOẠCH", "Kế hoạch"),
     ("THÔNG BÁO", "Thông báo"), ("BÁO CÁO", "Báo cáo")],
)
def test_type_from_the_upper_case_title(title: str, doc_type: str) -> None:
    # the symbol says công văn (no type code): the printed title wins
    x = ex(doc("UBND TỈNH LẠNG SƠN", "Số: 12/UBND-VX", PLACE_DATE, title,
               "Về tăng cường công tác phòng, chống mua bán người", "Nội dung./.", SIGNATURE))
    assert x.document.value("doc_type") == doc_type
    assert x.document.doc_type.text == title


def test_type_from_the_type_code_when_the_title_is_missing() -> None:
    x = ex(doc("UBND TỈNH LẠNG SƠN", "Số: 12/KH-UBND", PLACE_DATE,
               "Căn cứ Quyết định số 193/QĐ-TTg ngày 09/02/2021 của Thủ tướng Chính phủ;", SIGNATURE))
    assert x.document.value("doc_type") == "Kế hoạch"


@pytest.mark.parametrize("line", ["Số: 12/UBND-VX", "Số: 1989/V11 -TTTTBC", "Số:    /STTTT-TTBCXB", "Số: 299/TTg"])
def test_cong_van_when_a_vv_and_no_type_code(line: str) -> None:
    x = ex(doc(line, PLACE_DATE, "V/v tuyên truyền “Ngày toàn dân phòng, chống mua bán người - 30/7” năm 2019",
               "Kính gửi: Báo Lạng Sơn", "Nội dung./.", SIGNATURE))
    assert x.document.value("doc_type") == "Công văn"


def test_a_title_in_lower_case_in_the_body_is_not_the_type() -> None:
    x = ex(doc("Số: 12/UBND-VX", PLACE_DATE, VV, "Kính gửi: Báo Lạng Sơn",
               "Thực hiện Kế hoạch của Ủy ban nhân dân tỉnh về quyết định phê duyệt.", SIGNATURE))
    assert x.document.value("doc_type") == "Công văn"


S04 = (
    "Phòng, chống mua bán người năm 2020: Vai trò quan trọng của truyền thông\n\n"
    "Nhiệm vụ của các Sở Thông tin và Truyền thông, các cơ quan báo chí, các doanh nghiệp cung cấp dịch "
    "vụ viễn thông và công nghệ thông tin Internet, các nhà sản xuất, cơ sở in trong công tác phòng, "
    "chống mua bán người năm 2020 được chỉ rõ.\n\n"
    "Ngày 8/4/2020, Ban Chỉ đạo 389/CP ban hành Kế hoạch triển khai thực hiện Quyết định của Thủ tướng "
    "Chính phủ hưởng ứng “Ngày toàn dân phòng, chống mua bán người – 30/7” năm nay.\n\n"
    "P.Liên\n\nChủ đề :\n\nbáo chí\n\n\u00a0\nList comment\n"
)
S05 = (
    "Skip to main content\nBan biên tập | 13 June 2019\n\n"
    "\u00a0\u00a0\u00a0 Nhằm phát huy sức mạnh tổng hợp của cả hệ thống chính trị, các cấp, các ngành, "
    "đoàn thể, tổ chức xã hội trong công tác chủ động phòng ngừa. " + DATE_SENTENCE + "\n\n"
    "\u00a0\u00a0\u00a0 Sở Thông tin và Truyền thông chủ trì, phối hợp với các đơn vị liên quan.\n\n"
    "\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0 Nguyễn Như Trang\n"
)


def test_a_news_post_is_tin_bai() -> None:
    x = ex(S04)
    assert x.document.value("doc_type") == "Tin bài"
    assert x.document.value("subject") == "Phòng, chống mua bán người năm 2020: Vai trò quan trọng của truyền thông"
    assert x.document.value("issuer") == "Ban Chỉ đạo 389/CP"
    assert x.document.value("number") is None and x.document.value("place") is None
    assert x.references == [] and x.recipients == []


def test_a_news_post_reporting_a_plan() -> None:
    x = ex(S05)
    assert x.document.value("doc_type") == "Tin bài"
    assert x.document.value("issue_date") == "2019-06-13"
    assert x.document.value("subject").startswith("triển khai thực hiện các hoạt động hưởng ứng")
    assert x.document.value("issuer") == (
        "Ban Chỉ đạo phòng, chống tội phạm, tệ nạn xã hội và xây dựng phong trào toàn dân bảo vệ an ninh "
        "Tổ quốc tỉnh Lạng Sơn")
    assert refs(x) == [("Kế hoạch", "78", "KH-BCĐ", "2019-06-07")]
    assert x.document.value("signer") is None


def test_a_dispatch_is_never_tin_bai() -> None:
    x = ex(doc("Số:", "Nhằm phát huy sức mạnh tổng hợp của cả hệ thống chính trị."))
    assert x.document.value("doc_type") == "Công văn"


# ================================================================ subject


def test_subject_from_vv_across_two_lines() -> None:
    x = ex("\n\nSố: /STTTT-TTBCXB\n\nLạng Sơn, ngày tháng 7 năm 2019\n\n"
           "V/v tuyên truyền “Ngày toàn dân phòng,\nchống mua bán người - 30/7” năm 2019\n\n"
           "Kính gửi:\n\n- Báo Lạng Sơn;\n\nNội dung./.\n")  # s01
    assert x.document.value("subject") == "tuyên truyền “Ngày toàn dân phòng, chống mua bán người - 30/7” năm 2019"
    assert x.document.subject.text == "tuyên truyền “Ngày toàn dân phòng,\nchống mua bán người - 30/7” năm 2019"


def test_vv_subject_above_the_place_date_stops_before_it() -> None:
    x = ex("UBND TỈNH LẠNG SƠN\nSỞ THÔNG TIN VÀ TRUYỀN THÔNG\nSố: 1205/STTTT-TTBCXB\n"
           "V/v tuyên truyền “Ngày toàn dân phòng,\nchống mua bán người - 30/7” năm 2019\n"
           "Lạng Sơn, ngày 16 tháng 7 năm 2019\nKính gửi: Báo Lạng Sơn\n")
    assert x.document.value("subject") == "tuyên truyền “Ngày toàn dân phòng, chống mua bán người - 30/7” năm 2019"
    assert x.document.value("place") == "Lạng Sơn"


def test_vv_subject_does_not_run_into_kinh_gui() -> None:
    x = ex("Số: 12/UBND-VX\nLạng Sơn, ngày 16 tháng 7 năm 2019\nV/v tuyên truyền Kính gửi: Báo Lạng Sơn\n")
    assert x.document.value("subject") == "tuyên truyền"


QD = ("ỦY BAN NHÂN DÂN TỈNH TÂY NINH\n\nSố: 1234/QĐ-UBND\n\nTây Ninh, ngày 12 tháng 5 năm 2020\n\n"
      "{title}\n\nCăn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n\n"
      "QUYẾT ĐỊNH:\n\nĐiều 1. Phê duyệt Kế hoạch.\n\nNơi nhận:\n- Như Điều 3;\n- Lưu: VT.\n\n"
      "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Trần Văn Chiến\n")


def test_subject_from_upper_case_title_with_the_authority_line_cut() -> None:
    x = ex(QD.format(title="QUYẾT ĐỊNH VỀ VIỆC PHÊ DUYỆT KẾ HOẠCH PHÒNG, CHỐNG MUA BÁN NGƯỜI TRÊN ĐỊA BÀN "
                           "HUYỆN CHÂU THÀNH ỦY BAN NHÂN DÂN TỈNH TÂY NINH"))
    assert x.document.value("doc_type") == "Quyết định"
    subject = x.document.value("subject")
    assert subject.lower() == "phê duyệt kế hoạch phòng, chống mua bán người trên địa bàn huyện châu thành"
    assert "ủy ban" not in subject.lower()


def test_title_that_names_a_body_after_a_preposition_is_kept_whole() -> None:
    x = ex(QD.format(title="QUYẾT ĐỊNH BAN HÀNH QUY CHẾ LÀM VIỆC CỦA BAN CHỈ ĐẠO 138 TỈNH"))
    assert x.document.value("subject").lower() == "ban hành quy chế làm việc của ban chỉ đạo 138 tỉnh"


def test_mixed_case_title_on_the_next_line() -> None:
    x = ex("UBND TỈNH LẠNG SƠN\nSố: 124/KH-UBND\nLạng Sơn, ngày 16 tháng 7 năm 2019\nKẾ HOẠCH\n"
           "Tổ chức các hoạt động hưởng ứng Ngày toàn dân phòng, chống mua bán người\n\n"
           "Thực hiện Chỉ thị số 37-CT/TW.\n\n" + SIGNATURE)
    assert x.document.value("subject") == "Tổ chức các hoạt động hưởng ứng Ngày toàn dân phòng, chống mua bán người"


def test_the_grounds_after_the_title_are_not_the_subject() -> None:
    x = ex("UBND TỈNH LẠNG SƠN\nSố: 124/KH-UBND\nLạng Sơn, ngày 16 tháng 7 năm 2019\nKẾ HOẠCH\n"
           "Căn cứ Chỉ thị số 37-CT/TW của Ban Bí thư;\n\n" + SIGNATURE)
    assert x.document.value("subject") is None


def test_mixed_case_title_after_a_blank_line() -> None:
    x = ex(doc("UBND TỈNH LẠNG SƠN", "Số: 124/KH-UBND", PLACE_DATE, "KẾ HOẠCH",
               "Tổ chức các hoạt động hưởng ứng Ngày toàn dân phòng, chống mua bán người",
               "Thực hiện Chỉ thị số 37-CT/TW.", SIGNATURE))
    assert x.document.value("subject") == "Tổ chức các hoạt động hưởng ứng Ngày toàn dân phòng, chống mua bán người"


# ================================================================ signer and title

HEAD = doc("UBND TỈNH LẠNG SƠN", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "Số: 12/STTTT-VP", PLACE_DATE, VV,
           "Kính gửi: Báo Lạng Sơn", "Sở Thông tin và Truyền thông đề nghị Báo Lạng Sơn thực hiện./.")


@pytest.mark.parametrize(
    "block,signer,title",
    [
        ("Nơi nhận:\n- Như trên;\n- Lưu: VT.\n\n**KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC**\n\nLê Hải Yến", "Lê Hải Yến", "Phó Giám đốc"),
        ("Nơi nhận:\n- Như trên;\n- Lưu: VT.\n\n**KT.GIÁM ĐỐC\nPHÓ GIÁM ĐỐC**\n\nLê Hải Yến", "Lê Hải Yến", "Phó Giám đốc"),  # s01
        ("**KT. CỤC TRƯỞNG  \nPHÓ CỤC TRƯỞNG**\n\n**Phạm Quang Hưởng**", "Phạm Quang Hưởng", "Phó Cục trưởng"),  # s03
        ("Nơi nhận:\n- Như trên;\n- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Trần Văn Chiến",
         "Trần Văn Chiến", "Phó Chủ tịch"),
        ("TL. GIÁM ĐỐC\nCHÁNH VĂN PHÒNG\n\nĐại tá Phạm Văn Sinh", "Phạm Văn Sinh", "Chánh Văn phòng"),
        ("Nơi nhận:\n- Như trên;\n- Lưu: VT, KTTH (2b). Minh Anh BỘ TRƯỞNG, CHỦ NHIỆM Trần Văn Bình",
         "Trần Văn Bình", "Bộ trưởng, Chủ nhiệm"),
        ("Nơi nhận:\n- Như trên;\n- Lưu: VT.\n\nGIÁM ĐỐC\n\nNguyễn Văn Bình", "Nguyễn Văn Bình", "Giám đốc"),
    ],
)
def test_signer_and_own_title(block: str, signer: str, title: str) -> None:
    x = ex(HEAD + "\n" + block + "\n")
    assert x.document.value("signer") == signer
    # the signer's own title, not the KT./TM. line above it
    assert x.document.value("signer_title") == title


def test_no_name_under_the_title_no_signer() -> None:
    x = ex(HEAD + "\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n\nKT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\n(Đã ký)\n")
    assert x.document.value("signer") is None
    assert x.document.value("signer_title") is None


def test_a_header_is_not_a_signature() -> None:
    x = ex("Số: 124/KH-UBND\nLạng Sơn, ngày 16 tháng 7 năm 2019\nKẾ HOẠCH\nTuyên truyền\n")
    assert x.document.value("signer") is None


# ================================================================ issuer


@pytest.mark.parametrize(
    "block,issuer",
    [
        ("BỘ TÀI CHÍNH TỔNG CỤC HẢI QUAN ------- CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - "
         "Hạnh phúc --------------- Số: 2765/TCHQ-GSQL Hà Nội, ngày 12 tháng 5 năm 2014", "Tổng cục Hải quan"),
        ("VĂN PHÒNG CHÍNH PHỦ -------- CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc "
         "--------------- Số: 2739/VPCP-ĐMDN Hà Nội, ngày 05 tháng 4 năm 2017", "Văn phòng Chính phủ"),
        ("UBND TỈNH LẠNG SƠN\nSỞ THÔNG TIN VÀ TRUYỀN THÔNG\nSố: 1205/STTTT-TTBCXB\nLạng Sơn, ngày 16 tháng 7 năm 2019",
         "Sở Thông tin và Truyền thông"),
        ("ỦY BAN NHÂN DÂN TỈNH TÂY NINH\nSố: 1234/QĐ-UBND\nTây Ninh, ngày 12 tháng 5 năm 2020",
         "Ủy ban nhân dân tỉnh Tây Ninh"),
        ("UBND TỈNH LẠNG SƠN\nSố: 12/UBND-VX\nLạng Sơn, ngày 12 tháng 5 năm 2020", "Ủy ban nhân dân tỉnh Lạng Sơn"),
        ("BỘ QUỐC PHÒNG\nSố: 12/BQP-VP\nHà Nội, ngày 5 tháng 4 năm 2017", "Bộ Quốc phòng"),
        ("BỘ CÔNG AN\nSố: 12/BCA-V03\nHà Nội, ngày 5 tháng 4 năm 2017", "Bộ Công an"),
    ],
)
def test_issuer_is_the_last_body_of_the_issuer_block(block: str, issuer: str) -> None:
    x = ex(block + "\nV/v tuyên truyền\n\nKính gửi: Báo Lạng Sơn\n\nNội dung./.\n\n" + SIGNATURE + "\n")
    assert x.document.value("issuer") == issuer


def test_issuer_from_the_body_when_the_block_is_lost() -> None:
    # s01: the converter lost the issuer block; the body says who speaks
    x = ex(doc("Số: /STTTT-TTBCXB", "Lạng Sơn, ngày tháng 7 năm 2019", VV,
               "Thực hiện Kế hoạch số 124/KH-UBND ngày 16/7/2019 của UBND tỉnh về phối hợp tổ chức các hoạt "
               "động; Sở Thông tin và Truyền thông đề nghị các cơ quan, đơn vị:", SIGNATURE))
    assert x.document.value("issuer") == "Sở Thông tin và Truyền thông"


# ================================================================ recipients


def test_kinh_gui_list_entries_are_to() -> None:
    x = ex("\n\nSố: /STTTT-TTBCXB\n\nLạng Sơn, ngày tháng 7 năm 2019\n\nV/v tuyên truyền\n\nKính gửi:\n\n"
           "- Sở Văn hóa, Thể thao và Du lịch;\n- Bộ Chỉ huy Bộ đội Biên phòng tỉnh;\n"
           "- Đài Phát thanh và Truyền hình tỉnh;\n- Báo Lạng Sơn;\n"
           "- Phòng Văn hóa và Thông tin các huyện, thành phố.\n\nThực hiện Kế hoạch./.\n")  # s01
    assert names(x, "to") == [
        "Sở Văn hóa, Thể thao và Du lịch",  # not split at its comma
        "Bộ Chỉ huy Bộ đội Biên phòng tỉnh",
        "Đài Phát thanh và Truyền hình tỉnh",
        "Báo Lạng Sơn",
        "Phòng Văn hóa và Thông tin các huyện, thành phố",  # not split either
    ]
    assert names(x, "cc") == []


def test_kinh_gui_on_one_line_is_one_entry() -> None:
    x = ex(doc("Số:", "Hà Nội, ngày tháng năm 2023", VV,
               "Kính gửi: Sở Thông tin và Truyền thông các tỉnh, thành phố", "Nội dung./."))  # s03
    assert names(x, "to") == ["Sở Thông tin và Truyền thông các tỉnh, thành phố"]



def test_kinh_gui_whose_first_entry_is_on_the_cue_line_goes_on_over_its_bullets() -> None:
    x = ex(doc("Số: 12/BLĐTBXH-QLLĐNN", "Hà Nội, ngày 05 tháng 3 năm 2012", VV,
               "Kính gửi: - Bộ Công an;\n- Bộ Ngoại giao;\n- Ngân hàng Nhà nước Việt Nam.",
               "Thực hiện chỉ đạo của Thủ tướng Chính phủ, Bộ đề nghị các cơ quan phối hợp./."))
    assert names(x, "to") == ["Bộ Công an", "Bộ Ngoại giao", "Ngân hàng Nhà nước Việt Nam"]
    one = ex(doc("Số: 12/BLĐTBXH-QLLĐNN", "Hà Nội, ngày 05 tháng 3 năm 2012", VV,
                 "Kính gửi: Bộ Công an", "- Thực hiện chỉ đạo của Thủ tướng Chính phủ./."))
    assert names(one, "to") == ["Bộ Công an"]  # a body bullet after a one-line entry is no entry


def test_members_of_a_plural_head_are_named_in_the_singular() -> None:
    x = ex(doc("Số: 12/BCA-C06", "Hà Nội, ngày 05 tháng 3 năm 2012", VV,
               "Kính gửi: Ủy ban nhân dân các tỉnh: Lạng Sơn, Cao Bằng, Hà Giang.", "Nội dung./."))
    assert names(x, "to") == ["Ủy ban nhân dân tỉnh Lạng Sơn", "Ủy ban nhân dân tỉnh Cao Bằng",
                              "Ủy ban nhân dân tỉnh Hà Giang"]


NOI_NHAN_S01 = ("Nơi nhận:\n\n- Như trên;\n- Hội LHPN, CA tỉnh;\n- Lãnh đạo Sở;\n- Phòng TTBCXB, VP;\n"
                "- Trung tâm CNTT&TT (đăng tải);\n- Lưu: VT, TTBCXB(Loan).\n\n"
                "**KT.GIÁM ĐỐC\nPHÓ GIÁM ĐỐC**\n\nLê Hải Yến\n")


def test_noi_nhan_entries_are_cc_without_nhu_tren_and_luu() -> None:
    x = ex(HEAD + "\n" + NOI_NHAN_S01)
    cc = names(x, "cc")
    assert cc == [
        # "Hội LHPN, CA tỉnh" split and expanded; the place that ends it is both bodies'
        "Hội Liên hiệp Phụ nữ tỉnh", "Công an tỉnh",
        "Lãnh đạo Sở",
        "Phòng TTBCXB", "Văn phòng",
        "Trung tâm Công nghệ thông tin và Truyền thông",  # "(đăng tải)" dropped
    ]
    assert not any("Như trên" in n or "Lưu" in n or "VT" == n for n in cc)
    centre = [r for r in x.recipients if r.name.startswith("Trung tâm")][0]
    assert centre.note == "đăng tải"
    assert [r.text for r in x.recipients if r.kind == "cc"][:2] == ["Hội LHPN", "CA tỉnh"]


def test_recipient_text_is_the_entry_as_printed_and_the_note_apart() -> None:
    x = ex(HEAD + "\n" + NOI_NHAN_S01)
    centre = [r for r in x.recipients if r.name.startswith("Trung tâm")][0]
    assert centre.text == "Trung tâm CNTT&TT (đăng tải)"
    assert centre.name == "Trung tâm Công nghệ thông tin và Truyền thông"
    assert centre.note == "đăng tải"


def test_persons_and_notes_in_noi_nhan() -> None:
    x = ex(HEAD + "\nNơi nhận:\n- Như trên;\n- Thứ trưởng Phạm Đức Long (để b/c);\n"
           "- Thanh tra Bộ (để p/h);\n- Lãnh đạo Cục;\n- Lưu: VT, KMT.\n\n"
           "KT. CỤC TRƯỞNG\nPHÓ CỤC TRƯỞNG\n\nPhạm Quang Hưởng\n")  # s03
    assert names(x, "cc") == ["Thứ trưởng Phạm Đức Long", "Thanh tra Bộ", "Lãnh đạo Cục"]
    assert [r.note for r in x.recipients if r.kind == "cc"] == ["để b/c", "để p/h", None]


def test_nhu_dieu_is_dropped_like_nhu_tren() -> None:
    x = ex(QD.format(title="QUYẾT ĐỊNH BAN HÀNH QUY CHẾ LÀM VIỆC"))
    assert names(x, "cc") == []


def test_prime_minister_and_deputies_listed_by_name() -> None:
    x = ex(HEAD + "\nNơi nhận:\n- TTg, các PTTg: Vương Đình Huệ, Trịnh Đình Dũng;\n- Bộ KH&ĐT;\n"
           "- Lưu: VT, KTTH (2b). Minh Anh BỘ TRƯỞNG, CHỦ NHIỆM Trần Văn Bình\n")
    assert names(x, "cc") == [
        "Thủ tướng Chính phủ",
        "Phó Thủ tướng Vương Đình Huệ",
        "Phó Thủ tướng Trịnh Đình Dũng",
        "Bộ Kế hoạch và Đầu tư",
    ]


def test_chairman_shares_the_body_of_his_deputies() -> None:
    x = ex(HEAD + "\nNơi nhận:\n- Như trên;\n- CT, các PCT UBND tỉnh;\n- Lưu: VT.\n\n"
           "GIÁM ĐỐC\n\nNguyễn Văn Bình\n")
    assert names(x, "cc") == ["Chủ tịch Ủy ban nhân dân tỉnh", "các Phó Chủ tịch Ủy ban nhân dân tỉnh"]
    assert [r.text for r in x.recipients if r.kind == "cc"] == ["CT", "các PCT UBND tỉnh"]


def test_an_address_after_the_recipient_is_stripped() -> None:
    x = ex(doc("UBND TỈNH LẠNG SƠN", "SỞ CÔNG THƯƠNG", "Số: 12/SCT-QLTM", PLACE_DATE, "V/v cung cấp khí",
               "Kính gửi: Tổng công ty Khí Việt Nam -Đ/c số 722, Đường Nguyễn Văn Linh, Quận 7, TP. Hồ Chí Minh",
               "Nội dung./."))
    assert names(x, "to") == ["Tổng công ty Khí Việt Nam"]


def test_an_address_bullet_is_not_a_recipient() -> None:
    x = ex(doc("Số: 12/SCT-QLTM", PLACE_DATE, "V/v cung cấp khí",
               "Kính gửi:\n- Công ty TNHH ABC\n-Đ/c số 722, Đường Nguyễn Văn Linh, Quận 7;\n- Sở Tài chính.",
               "Nội dung./."))
    assert names(x, "to") == ["Công ty TNHH ABC", "Sở Tài chính"]


@pytest.mark.parametrize(
    "line",
    ["Nơi nhận: Như trên; Sở Tài chính; CA tỉnh; Lưu: VT.",
     "Nơi nhận: - Như trên - Sở Tài chính - CA tỉnh - Lưu: VT."],
)
def test_noi_nhan_run_together_on_one_line(line: str) -> None:
    x = ex(HEAD + "\n" + line + "\n\nGIÁM ĐỐC\n\nNguyễn Văn Bình\n")
    assert names(x, "cc") == ["Sở Tài chính", "Công an tỉnh"]
    assert [r.text for r in x.recipients if r.kind == "cc"] == ["Sở Tài chính", "CA tỉnh"]


def test_noi_nhan_run_together_with_semicolons_and_bullets() -> None:
    # the form named in find.py's own comment
    x = ex(HEAD + "\nNơi nhận: - Như trên; - Sở Tài chính; - CA tỉnh; - Lưu: VT.\n\nGIÁM ĐỐC\n\nNguyễn Văn Bình\n")
    assert names(x, "cc") == ["Sở Tài chính", "Công an tỉnh"]


def test_no_zones_no_recipients() -> None:
    x = ex(doc("Số: 12/UBND-VX", PLACE_DATE, VV, "Nội dung gửi Sở Tài chính, Công an tỉnh./."))
    assert x.recipients == []


def test_noi_nhan_in_a_body_sentence_does_not_hide_the_real_block() -> None:
    x = ex(HEAD + "\nHồ sơ gửi về nơi nhận hồ sơ là Bộ phận một cửa của Sở./.\n\n"
           "Nơi nhận:\n- Như trên;\n- Sở Tài chính;\n- Lưu: VT.\n\nGIÁM ĐỐC\n\nNguyễn Văn Bình\n")
    assert names(x, "cc") == ["Sở Tài chính"]


# ================================================================ news posts, as portals print them


@pytest.mark.parametrize("post, issuer", [
    # a news agency's dash before the issuing body
    ("Quảng Ninh: Tăng cường phòng, chống mại dâm\n\nQTV – UBND tỉnh Quảng Ninh vừa ban hành văn "
     "bản số 5612/UBND-VX2 về tăng cường công tác phòng, chống mại dâm.", "Ủy ban nhân dân tỉnh Quảng Ninh"),
    # the head of the body issues in its name
    ("Chủ tịch UBND tỉnh Thanh Hóa vừa ban hành Chỉ thị số 13/CT-UBND, ngày 22/12/2025, về việc "
     "tăng cường bảo đảm an ninh, trật tự.", "Chủ tịch Ủy ban nhân dân tỉnh Thanh Hóa"),
    # the person who acts for the body is not part of its name; a city's name is
    ("Để triển khai, Phó Chủ tịch UBND thành phố Lê Khắc Nam đã chỉ đạo yêu cầu các Sở, ban, ngành "
     "triển khai thực hiện.", "Phó Chủ tịch Ủy ban nhân dân thành phố"),
    ("Ngày 1/6, UBND thành phố Hải Phòng ban hành Kế hoạch số 31/KH-UBND về phòng, chống ma túy.",
     "Ủy ban nhân dân thành phố Hải Phòng"),
    # no body issues: the first that directs
    ("Theo đó, UBND tỉnh đã chỉ đạo các sở, ban, ngành chủ động tổ chức tuyên truyền.",
     "Ủy ban nhân dân tỉnh"),
    # a body that leads a task does not issue
    ("Bộ Lao động-Thương binh và Xã hội chủ trì, phối hợp với các bộ, ngành đề xuất giải pháp. "
     "Chỉ đạo này vừa được truyền đạt tại văn bản số 2325a/VPCP-KGVX.", "Văn phòng Chính phủ"),
])
def test_the_issuer_of_the_document_a_news_post_reports(post: str, issuer: str) -> None:
    x = ex(post)
    assert x.document.value("doc_type") == "Tin bài"
    assert x.document.value("issuer") == issuer


def test_the_date_of_a_news_post() -> None:
    banner = "Thứ 5, Ngày 22/04/2021 -\n\nPhối hợp ngăn chặn vượt biên trái phép\nNgày đăng: 25/02/2021  10:09\n"
    assert ex(banner + "Nội dung bài.").document.value("issue_date") == "2021-02-25"  # the label wins
    crawled = " date 2026-02-02 Tập trung phòng, chống xuất nhập cảnh trái phép\n\nNội dung bài."
    x = ex(crawled)
    assert x.document.value("issue_date") == "2026-02-02"
    assert x.document.value("subject") == "Tập trung phòng, chống xuất nhập cảnh trái phép"
    byline = ("ĐÀI PHÁT THANH VÀ TRUYỀN HÌNH THANH HÓA\n\nThanh Hoa Radio and Television\n"
              "Đường dây nóng: 0237 3721150\n\nTăng cường phòng ngừa lừa đảo trên không gian mạng\n\n"
              "UBND tỉnh Thanh Hóa vừa có văn bản chỉ đạo các Sở, ban, ngành.\n\nTuyết Hạnh\n\n"
              "26/03/2025 09:21\n\nCụ thể, UBND tỉnh yêu cầu các cơ quan quán triệt.")
    x = ex(byline)
    assert x.document.value("issue_date") == "2025-03-26"  # a line holding only the date
    assert x.document.value("subject") == "Tăng cường phòng ngừa lừa đảo trên không gian mạng"  # not the banner
    assert x.document.value("issuer") == "Ủy ban nhân dân tỉnh Thanh Hóa"


def test_a_date_that_ends_a_news_title_is_its_deadline_not_its_date() -> None:
    post = ("Triển khai đợt cao điểm trấn áp tội phạm mua bán người từ nay đến hết ngày 30/9/2024\n\n"
            "UBND tỉnh yêu cầu các Sở, ban, ngành, UBND các huyện tiếp tục chỉ đạo triển khai.")
    x = ex(post)
    assert x.document.value("issue_date") is None
    assert [d.date for d in x.deadlines] == ["2024-09-30"]


def test_a_news_post_with_no_title_has_no_subject() -> None:
    x = ex("Ảnh minh họa. (Nguồn: china.com)\n\nBộ Y tế chủ trì triển khai các giải pháp phòng dịch.\n")
    assert x.document.value("subject") is None


def test_a_news_post_dated_by_its_place() -> None:
    x = ex("Hải Phòng, ngày 28 tháng 02 năm 2020\n\nTriển khai Tháng hành động phòng, chống ma túy\n\n"
           "UBND thành phố yêu cầu các quận, huyện triển khai thực hiện.")
    assert (x.document.value("place"), x.document.value("issue_date")) == ("Hải Phòng", "2020-02-28")
    assert x.document.value("subject") == "Triển khai Tháng hành động phòng, chống ma túy"


def test_a_day_and_month_opening_the_sentence_date_the_cited_plan_in_the_posts_year() -> None:
    x = ex(" date 2025-12-16 Tăng cường giáo dục pháp luật cho học sinh\n\nNgày 15/12, Sở GD&ĐT ban "
           "hành Kế hoạch số 80/KH-SGD&ĐT về việc triển khai Tiểu dự án 3.")
    assert refs(x) == [("Kế hoạch", "80", "KH-SGD&ĐT", "2025-12-15")]


# ================================================================ headers as converters print them


def test_an_issuer_block_printed_beside_the_motto_line_by_line() -> None:
    x = ex("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nHUYỆN CHÂU THÀNH Độc lập - Tự do - Hạnh phúc\n\n"
           "Số: 485/UBND Châu Thành, ngày 16 tháng 6 năm 2017\n\nV/v triển khai Tháng hành động\n")
    assert x.document.value("issuer") == "Ủy ban nhân dân huyện Châu Thành"
    assert x.document.value("place") == "Châu Thành"


def test_the_own_number_is_the_first_that_reads_as_one() -> None:
    x = ex("VĂn phòng chính phủ Số: 328tải về 9.16 Kb.\n\nVĂN PHÒNG CHÍNH PHỦ\n\nSố: 328/VPCP-TH\n\n"
           "V/v xử lý thông tin trên báo Thanh niên\n\nHà Nội, ngày 10 tháng 01 năm 2013\n")
    assert (x.document.value("number"), x.document.value("symbol")) == ("328", "VPCP-TH")


def test_the_signer_after_blank_lines_and_a_signed_note() -> None:
    x = ex("BỘ THÔNG TIN VÀ TRUYỀN THÔNG\n\nSố: 3478 /BTTTT-VP\n\nV/v: Chuẩn bị Tổng kết công tác năm 2011\n\n"
           "và triển khai Chương trình công tác năm 2012\n\nHà Nội, ngày 18 tháng 11 năm 2011\n\nNội dung./.\n\n"
           "Nơi nhận:\n\n- Như trên;\n\n- Lưu: VT, VP.\n\nTL. BỘ TRƯỞNG\n\nCHÁNH VĂN PHÒNG\n\n(đã ký)\n\n \n\n"
           "Nguyễn Trọng Phát\n")
    assert (x.document.value("signer"), x.document.value("signer_title")) == ("Nguyễn Trọng Phát", "Chánh Văn phòng")
    # a subject broken over a blank line goes on in lower case
    assert x.document.value("subject") == "Chuẩn bị Tổng kết công tác năm 2011 và triển khai Chương trình công tác năm 2012"


def test_a_city_printed_as_thanh_pho() -> None:
    x = ex("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH\n\nSố: 2222/QĐ-UBND\n\nThành phố Hồ Chí Minh, ngày 14 tháng 5 năm 2015\n")
    assert x.document.value("place") == "Thành phố Hồ Chí Minh"
    # "phố" with no "Thành" before it is no part of a place name
    assert ex("Số: 1/UBND\n\nphố Huế, ngày 14 tháng 5 năm 2015\n").document.value("place") == "Huế"


def test_a_legal_portals_facts_give_the_signer_of_a_cut_text() -> None:
    x = ex("Quyết định 2222/QĐ-UBND năm 2015 về Kế hoạch\nSố hiệu: 2222/QĐ-UBND Loại văn bản: Quyết định\n"
           "Nơi ban hành: Thành phố Hồ Chí Minh Người ký: Hứa Ngọc Thuận\n\nỦY BAN NHÂN DÂN\n"
           "THÀNH PHỐ HỒ CHÍ MINH\n\nSố: 2222/QĐ-UBND\n\nQUYẾT ĐỊNH\n\nVỀ VIỆC BAN HÀNH KẾ HOẠCH\n")
    assert x.document.value("signer") == "Hứa Ngọc Thuận"


def test_a_government_office_address_block() -> None:
    x = ex(HEAD + "\nNội dung./.\n\nNơi nhận:\n\n- Như trên;\n\n- Thủ tướng, các PTTg CP (để b/c)\n\n"
           "- VPCP: BTCN; các PCN: Nguyễn Quang Thắng,\n\nNguyễn Văn Tùng;\n\ncác Vụ: NC, V.III, KGVX; Cổng TTĐT;\n\n"
           "- Lưu: VT, TH (3).\n")
    assert names(x, "cc") == [
        "Thủ tướng Chính phủ", "các Phó Thủ tướng Chính phủ", "Bộ trưởng, Chủ nhiệm",
        "Phó Chủ nhiệm Nguyễn Quang Thắng", "Phó Chủ nhiệm Nguyễn Văn Tùng",  # a line that goes on
        "Vụ NC", "Vụ V.III", "Vụ KGVX", "Cổng Thông tin điện tử"]


def test_an_address_block_in_a_layout_table() -> None:
    x = ex("VĂN PHÒNG CHÍNH PHỦ | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\nSố: 9571/VPCP-KGVX | Hà Nội, ngày 12 "
           "tháng 11 năm 2013 |\nKính gửi: | - Bộ Lao động - Thương binh và Xã hội; |\nNội dung.\n"
           "Nơi nhận: | KT. BỘ TRƯỞNG, CHỦ NHIỆM |\n")
    assert [(r.name, r.kind) for r in x.recipients] == [("Bộ Lao động - Thương binh và Xã hội", "to")]


def test_nhu_tren_on_the_cue_line_is_no_recipient() -> None:
    x = ex(HEAD + "\nNội dung./.\n\nNơi nhận:- Như trên;\n- PTTg Hoàng Trung Hải;\n- Lưu: VT.\n")
    assert names(x, "cc") == ["Phó Thủ tướng Hoàng Trung Hải"]


def test_a_telegram_names_its_addressees_after_dien() -> None:
    x = ex("THỦ TƯỚNG CHÍNH PHỦ\n\nSố: 1225/CĐ-TTG\n\nHà Nội, ngày 10 tháng 08 năm 2006\n\nCÔNG ĐIỆN\n\n"
           "THỦ TƯỞNG CHÍNH PHỦ ĐIỆN:\n\n- Đồng chí Bí thư và Chủ tịch Ủy ban nhân dân các tỉnh, thành phố "
           "trực thuộc Trung ương\n\nHiện nay, tình hình dịch cúm gia cầm diễn biến phức tạp.\n")
    assert x.document.value("subject") is None  # the sender's line is no title
    assert names(x, "to") == ["Đồng chí Bí thư các tỉnh, thành phố trực thuộc Trung ương",
                              "Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"]


# ================================================================ citations as converters print them


@pytest.mark.parametrize("sentence, expected", [
    # a hard wrap between "số" and the number
    ("Thực hiện Quyết định số\n1452/QĐ-TTg ngày 31/8/2021 của Thủ tướng Chính phủ phê duyệt Chương trình.",
     [("Quyết định", "1452", "QĐ-TTg", "2021-08-31")]),
    # the next word glued to the symbol
    ("tại công văn số 178/BNN-ĐĐngày 21 tháng 01 năm 2008 của Bộ Nông nghiệp.",
     [("Công văn", "178", "BNN-ĐĐ", "2008-01-21")]),
    # a Party conclusion
    ("Thực hiện Kết luận số 132-KL/TW ngày 18/3/2025 của Bộ Chính trị.",
     [("Kết luận", "132", "KL/TW", "2025-03-18")]),
    # a document of a named type cited by its number alone
    ("quán triệt thực hiện Chỉ thị số 21 của Thủ tướng Chính phủ về tăng cường phòng ngừa.",
     [("Chỉ thị", "21", "", None)]),
])
def test_citations_printed_unusually(sentence: str, expected: list) -> None:
    assert refs(ex(sentence)) == expected


def test_a_number_alone_after_an_ordinary_word_is_no_citation() -> None:
    assert refs(ex("Hỗ trợ số 21 hộ nghèo; thực hiện theo mẫu số 03 kèm theo; công văn số 5 ngày.")) == []


def test_a_subject_glued_to_the_own_symbol() -> None:
    x = ex("Số: 1234/VPCP-V.IV/v xử lý thông tin báo chí\n")
    assert x.document.value("symbol") == "VPCP-V.I"


def test_a_portals_list_of_related_documents_cites_nothing() -> None:
    x = ex("Nội dung./.\nNơi nhận: | KT. BỘ TRƯỞNG, CHỦ NHIỆM |\n- 1Công văn 7839/VPCP-KTTH xử lý thông tin "
           "do Văn phòng Chính phủ ban hành\n- 2Công văn 8785/VPCP-KTN năm 2013 kiểm tra\n")
    assert refs(x) == []


def test_more_news_posts_as_portals_print_them() -> None:
    x = ex("Chính trị - Xã hội\n \nKế hoạch triển khai “Tháng hành động phòng, chống ma túy” năm 2020\n"
           "16/06/2020\n\nNgày 10 tháng 6 năm 2020, Ủy ban nhân dân tỉnh ban hành Kế hoạch số 2057/KH-UBND.")
    assert x.document.value("subject") == "Kế hoạch triển khai “Tháng hành động phòng, chống ma túy” năm 2020"
    x = ex("Trong đó, chủ tịch UBND huyện yêu cầu Công an huyện xây dựng kế hoạch mở đợt cao điểm.")
    assert x.document.value("issuer") == "Chủ tịch Ủy ban nhân dân huyện"
    x = ex("Hỗ trợ trẻ mồ côi\n\nNgày 23/9, Bộ Lao động - Thương binh và Xã hội, cùng Ủy ban Quốc gia về trẻ em "
           "đã có công văn đề nghị các tỉnh hỗ trợ kịp thời.")
    assert x.document.value("issuer") == "Bộ Lao động - Thương binh và Xã hội"
    x = ex("Triển khai Tháng hành động vì trẻ em\n(06/05/2022)\nNhằm bảo vệ trẻ em; ngày 05/5/2022, Uỷ ban nhân "
           "dân tỉnh ban hành Kế hoạch số 78/KH-UBND về việc triển khai.")
    assert refs(x) == [("Kế hoạch", "78", "KH-UBND", "2022-05-05")]


def test_a_header_that_lost_its_place_takes_the_one_the_text_names() -> None:
    x = ex("ỦY BAN NHÂN DÂN |\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\nSố: 1154/KH-UBND |\n"
           "Nghệ An, ngày 29 tháng 12 năm 2025 |\nKẾ HOẠCH\nTRIỂN KHAI CHƯƠNG TRÌNH\nThực hiện Quyết định số "
           "7619/QĐ-BCA, Ủy ban nhân dân tỉnh ban hành Kế hoạch triển khai thực hiện như sau:\n")
    assert x.document.value("issuer") == "Ủy ban nhân dân tỉnh"
