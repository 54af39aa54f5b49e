"""Where a body's name ends: the gazetteer (models/bodies.tsv) and the name grammar."""
from __future__ import annotations

import pytest

from congvan import names


def found(text: str, scope: str | None = None) -> list[tuple[str, str]]:
    return [(text[k.start:k.end], k.body.name) for k in names.known(text, 0, len(text), scope)]


def listed(text: str) -> str:
    return text[:names.list_end(text, 0, len(text))[0]]


@pytest.mark.parametrize("printed, body", [
    ("Bộ Giáo dục và Đào tạo", "Bộ Giáo dục và Đào tạo"),
    ("Sở GD&ĐT", "Sở Giáo dục và Đào tạo"),  # abbreviations.tsv words put in
    ("Sở LĐ-TB&XH", "Sở Lao động - Thương binh và Xã hội"),
    ("Bộ Lao động-Thương binh và Xã hội", "Bộ Lao động - Thương binh và Xã hội"),
    ("Sở Văn hóa,Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch"),
    ("Ủy ban MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"),  # without "tỉnh" and "Việt Nam"
    ("Viện Hàn lâm Khoa học và Công nghệ Việt Nam", "Viện Hàn lâm Khoa học và Công nghệ Việt Nam"),
    ("Ban Chỉ đạo 138/CP", "Ban Chỉ đạo 138/CP"),
    ("Bảo hiểm xã hội Công an nhân dân", "Bảo hiểm xã hội Công an nhân dân"),
])
def test_printed_forms_of_gazetteer_names(printed: str, body: str) -> None:
    assert found(f"Đề nghị {printed} thực hiện") == [(printed, body)]


def test_words_that_only_open_like_a_name_are_not_one() -> None:
    assert found("Báo cáo kết quả về Bộ trưởng") == []
    assert found("phòng, chống mua bán người") == []


def test_a_blank_line_ends_a_name() -> None:
    assert found("Bộ Y tế\n\nSở Y tế") == [("Bộ Y tế", "Bộ Y tế"), ("Sở Y tế", "Sở Y tế")]


def test_units_of_a_body_count_in_its_own_documents_only() -> None:
    assert found("các Vụ: Vụ NC, KGVX") == []
    assert ("Vụ NC", "Vụ Nội chính") in found("các Vụ: Vụ NC, KGVX", scope="Văn phòng Chính phủ")
    assert found("Vụ Nội chính") == [("Vụ Nội chính", "Vụ Nội chính")]  # the full name anywhere


def test_codes_of_central_bodies() -> None:
    assert names.by_code()["VPCP"].name == "Văn phòng Chính phủ"
    assert names.by_code()["LĐTBXH"].name == "Bộ Lao động - Thương binh và Xã hội"
    assert "UBND" not in names.by_code()  # names no one body


# ---------------------------------------------------------------- the end of a list


def test_the_words_of_a_known_name_do_not_end_the_list() -> None:
    # "tạo" is a task verb; inside "Đào tạo" it is not
    assert listed("Bộ Giáo dục và Đào tạo chỉ đạo các trường") == "Bộ Giáo dục và Đào tạo"


def test_after_a_known_name_a_lower_case_word_opens_the_predicate() -> None:
    assert listed("Công an tỉnh là cơ quan thường trực") == "Công an tỉnh"
    assert listed("Sở Y tế lãnh đạo, chỉ đạo các bệnh viện") == "Sở Y tế"
    text = "Thủ tướng Chính phủ lưu ý cần tập trung tuyên truyền"
    assert listed(text) == "Thủ tướng Chính phủ"


def test_scope_and_joining_words_keep_the_list_going() -> None:
    assert listed("Ủy ban nhân dân tỉnh Lạng Sơn, Sở Y tế các tỉnh chỉ đạo") == \
        "Ủy ban nhân dân tỉnh Lạng Sơn, Sở Y tế các tỉnh"
    assert listed("Ủy ban nhân dân các huyện biên giới chỉ đạo") == "Ủy ban nhân dân các huyện biên giới"
    assert listed("Hội Liên hiệp Phụ nữ các cấp tuyên truyền") == "Hội Liên hiệp Phụ nữ các cấp"
    assert listed("Ngân hàng Nhà nước chi nhánh khu vực 7, Sở Khoa học và công nghệ và các sở "
                  "nghiên cứu") == \
        "Ngân hàng Nhà nước chi nhánh khu vực 7, Sở Khoa học và công nghệ và các sở"


def test_predicate_words_end_an_unknown_name() -> None:
    assert listed("các cơ quan chức năng cũng cần tăng cường hợp tác") == "các cơ quan chức năng"
    assert listed("Thủ trưởng các sở, ban, ngành theo chức năng, nhiệm vụ tiếp tục") == \
        "Thủ trưởng các sở, ban, ngành"


def test_whether_a_verb_ends_the_list() -> None:
    assert names.list_end("Bộ Y tế chủ trì", 0, 15) == (7, True)
    # an apposition is no verb
    assert names.list_end("Công an tỉnh là cơ quan thường trực", 0, 35) == (12, False)
