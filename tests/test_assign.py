"""Who is tasked with what: real lines from dispatches in, (assignee, role) out."""
from __future__ import annotations

import pytest

from congvan.assign import find_tasks, names_no_body
from congvan.clean import clean
from congvan.extract import extract
from congvan.segment import segment


def tasks(text: str, issuer: str | None = None) -> list[tuple[str, str]]:
    text = clean(text).text
    _, obligations = find_tasks(text, segment(text), [], [], issuer=issuer)
    return [(o.assignee, o.role) for o in obligations]


@pytest.mark.parametrize("line, expected", [
    # X chủ trì, phối hợp với Y (s05)
    ("Sở Lao động - Thương binh và Xã hội chủ trì, phối hợp với Sở Ngoại vụ và các cơ quan, "
     "đơn vị liên quan tiếp tục thực hiện tốt công tác xác minh, tiếp nhận.",
     [("Sở Lao động - Thương binh và Xã hội", "lead"), ("Sở Ngoại vụ", "support")]),
    # a parenthesis between the body and its verb (s05)
    ("Công an tỉnh (cơ quan Thường trực Ban Chỉ đạo 138 tỉnh) có trách nhiệm làm đầu mối, "
     "chủ trì, phối hợp với các cơ quan, đơn vị liên quan tiếp tục chỉ đạo thực hiện.",
     [("Công an tỉnh", "lead")]),
    # đề nghị + body + task (s03)
    ("Cục Thông tin cơ sở đề nghị Sở Thông tin và Truyền thông các tỉnh, thành phố triển khai "
     "thực hiện và báo cáo kết quả thực hiện về Cục Thông tin cơ sở.",
     [("Sở Thông tin và Truyền thông các tỉnh, thành phố", "lead")]),
    # a plain subject with a task verb (s04)
    ("Các cơ quan báo chí tăng thời lượng, tần suất thông tin, tuyên truyền về phòng, chống "
     "mua bán người.",
     [("Các cơ quan báo chí", "lead")]),
    # chỉ đạo + collective (s01)
    ("Chỉ đạo các đơn vị vận hành các cụm thông tin đối ngoại đăng tải các khẩu hiệu tuyên truyền.",
     [("các đơn vị vận hành các cụm thông tin đối ngoại", "lead")]),
    # field lines of a plan
    ("- Đơn vị chủ trì: Vụ Pháp luật quốc tế.\n"
     "- Đơn vị phối hợp: Vụ Pháp chế, Cục Kiểm tra văn bản quy phạm pháp luật.",
     [("Vụ Pháp luật quốc tế", "lead"), ("Vụ Pháp chế", "support"),
      ("Cục Kiểm tra văn bản quy phạm pháp luật", "support")]),
    ("- Cơ quan thực hiện: Sở Nội vụ chủ trì, phối hợp với Sở Tài chính và Ủy ban nhân dân "
     "các huyện, thành phố.",
     [("Sở Nội vụ", "lead"), ("Sở Tài chính", "support"),
      ("Ủy ban nhân dân các huyện, thành phố", "support")]),
    # the head's title is dropped; a plural head shares itself with its members
    ("Chánh Văn phòng UBND tỉnh, Giám đốc các Sở: Tài chính, Nội vụ chịu trách nhiệm thi "
     "hành Quyết định này.",
     [("Văn phòng Ủy ban nhân dân tỉnh", "lead"), ("Sở Tài chính", "lead"), ("Sở Nội vụ", "lead")]),
    # two multi-word collectives in one list (s04)
    ("Chỉ đạo và khuyến khích các nhà sản xuất, cơ sở in trên toàn quốc đưa nội dung thông tin.",
     [("các nhà sản xuất", "lead"), ("các cơ sở in trên toàn quốc", "lead")]),
])
def test_tasked_bodies(line, expected):
    assert tasks(line) == expected


def test_a_heading_that_names_bodies_tasks_each_of_them():
    text = ("1. Các cơ quan báo chí; Phòng Văn hóa và Thông tin các huyện, thành phố\n"
            "Tăng cường thông tin, tuyên truyền.\n"
            "2. Đề nghị Bộ Chỉ huy Bộ đội Biên phòng tỉnh; Sở Văn hóa, Thể thao và Du lịch tỉnh\n"
            "Chỉ đạo các đơn vị vận hành các cụm thông tin đối ngoại đăng tải khẩu hiệu.\n")
    assert tasks(text) == [
        ("Các cơ quan báo chí", "lead"),
        ("Phòng Văn hóa và Thông tin các huyện, thành phố", "lead"),
        ("Bộ Chỉ huy Bộ đội Biên phòng tỉnh", "lead"),
        ("Sở Văn hóa, Thể thao và Du lịch tỉnh", "lead"),
        ("các đơn vị vận hành các cụm thông tin đối ngoại", "lead"),
    ]


def test_a_table_column_of_lead_and_support_bodies():
    text = ("| STT | Tên văn bản | Đơn vị chủ trì soạn thảo | Đơn vị cho ý kiến |\n"
            "| --- | --- | --- | --- |\n"
            "| 1 | Luật Địa chất | - Cục Khoáng sản Việt Nam; - Cục Địa chất Việt Nam | Vụ Pháp chế |\n")
    assert tasks(text) == [("Cục Khoáng sản Việt Nam", "lead"), ("Cục Địa chất Việt Nam", "lead"),
                           ("Vụ Pháp chế", "support")]


@pytest.mark.parametrize("line", [
    # the issuer asks: it is not tasked itself, and "các cơ quan, đơn vị liên quan" names no body
    "Ban Chỉ đạo yêu cầu các hoạt động hưởng ứng được thực hiện đảm bảo hiệu quả, thiết thực.",
    "Hội Liên hiệp Phụ nữ tỉnh đã tổ chức 15 buổi truyền thông tại cộng đồng.",
    "Xét đề nghị của Giám đốc Sở Lao động - Thương binh và Xã hội tại Tờ trình số 33/TTr-SLĐTBXH.",
    "Theo đề nghị của UBND huyện Châu Thành tại Tờ trình số 308/TTr-UBND.",
    "Trường hợp khai tờ khai hải quan giấy, người khai hải quan nộp hồ sơ.",
    "Báo cáo kết quả thực hiện về Sở Thông tin và Truyền thông trước ngày 20/9/2023.",
    "Phòng, chống mua bán người là nhiệm vụ của cả hệ thống chính trị.",
    "Sở Thông tin và Truyền thông đề nghị các cơ quan, đơn vị liên quan quan tâm phối hợp.",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;",
])
def test_not_tasked(line):
    assert tasks(line, issuer="Sở Thông tin và Truyền thông") == []


def test_support_from_a_generic_collective_is_dropped():
    assert tasks("Sở Tư pháp chủ trì, phối hợp với các đơn vị khác có liên quan tổ chức hội nghị.") \
        == [("Sở Tư pháp", "lead")]


@pytest.mark.parametrize("name, role, none", [
    ("các cơ quan, đơn vị liên quan", "support", True),
    ("các cơ quan, đơn vị có liên quan", "lead", True),
    ("các đơn vị", "support", True),
    ("các cơ quan, đơn vị", "lead", False),  # addressed as written: "đề nghị các cơ quan, đơn vị ..."
    ("các sở, ngành liên quan", "support", False),  # names a kind of body
])
def test_names_no_body(name, role, none):
    assert names_no_body(name, role) is none


def test_directives_carry_their_section_deadline_and_the_json_counts_each_pair_once():
    text = ("KẾ HOẠCH\nTuyên truyền\nII. TỔ CHỨC THỰC HIỆN\n"
            "1. Sở Tư pháp chủ trì, phối hợp với Sở Nội vụ tổ chức tập huấn.\n"
            "2. Sở Tư pháp chủ trì, phối hợp với Sở Nội vụ báo cáo kết quả.\n")
    x = extract(text)
    assert [d.section_number for d in x.directives] == ["1", "2"]
    assert x.directives[0].task == "tổ chức tập huấn"  # the verb phrase after the bodies
    assert len(x.obligations) == 4  # one row per (directive, body)
    assert x.to_json()["obligations"] == [
        {"assignee": "Sở Tư pháp", "role": "lead"}, {"assignee": "Sở Nội vụ", "role": "support"}]
    assert [a["role"] for a in x.to_json()["directives"][1]["assignees"]] == ["lead", "support"]
    for o in x.obligations:
        assert x.text[o.start:o.end] == o.text


def test_a_run_on_list_is_cut_by_part_of_speech_when_no_known_verb_follows():
    # "thu thập" is not in models/task_verbs.txt: underthesea's tags find the verb
    line = ("Các trường đại học, cao đẳng và các cơ sở giáo dục nghề nghiệp trên địa bàn "
            "tỉnh Lạng Sơn và Ban Quản lý các khu công nghiệp tỉnh thu thập số liệu về học sinh.")
    assert ("Ban Quản lý các khu công nghiệp tỉnh", "lead") in tasks(line)


# ---------------------------------------------------------------- names that run on, heads of bodies


def tasks_of(text: str, issuer: str | None = None, news: bool = False) -> list[tuple[str, str]]:
    text = clean(text).text
    _, obligations = find_tasks(text, segment(text), [], [], issuer=issuer, news=news)
    return [(o.assignee, o.role) for o in obligations]


@pytest.mark.parametrize("line, expected", [
    # a lower-case head before a collective; a manner phrase ends the list (news post)
    ("UBND tỉnh Quảng Ninh yêu cầu thủ trưởng các sở, ban, ngành theo chức năng, nhiệm vụ "
     "tiếp tục đẩy mạnh các hoạt động truyền thông.",
     [("các sở, ban, ngành", "lead")]),
    # "và" after a known name joins two bodies; the asking subject is not tasked
    ("UBND tỉnh cũng đề nghị Ủy ban MTTQ và tổ chức chính trị xã hội phối hợp với các sở, "
     "ngành thực hiện tuyên truyền.",
     [("Ủy ban Mặt trận Tổ quốc", "lead"), ("tổ chức chính trị xã hội", "lead"),
      ("các sở, ngành", "support")]),
    # a title and a colon before the bodies it heads
    ("Giao Giám đốc: Sở Văn hóa, Thể thao và Du lịch, Sở Thông tin và Truyền thông, Đài Phát "
     "thanh - Truyền hình Hậu Giang phối hợp với các sở, ban, ngành tỉnh tiếp tục tuyên truyền.",
     [("Sở Văn hóa, Thể thao và Du lịch", "lead"), ("Sở Thông tin và Truyền thông", "lead"),
      ("Đài Phát thanh - Truyền hình Hậu Giang", "lead"), ("các sở, ban, ngành tỉnh", "support")]),
    # a known name holds a task verb ("Đào tạo")
    ("Theo văn bản này, Phó Thủ tướng cũng giao Bộ Giáo dục và Đào tạo chỉ đạo tăng cường giáo dục.",
     [("Bộ Giáo dục và Đào tạo", "lead")]),
    # lower-case collectives in a row; "tổ chức" after a comma is the next one
    ("Ngân hàng Nhà nước chỉ đạo các ngân hàng thương mại, tổ chức cung ứng dịch vụ trung gian "
     "hoàn thành việc định danh khách hàng.",
     [("Ngân hàng Nhà nước", "lead"), ("các ngân hàng thương mại", "lead"),
      ("các tổ chức cung ứng dịch vụ trung gian", "lead")]),
    # ... and so it is in an entry of collectives after a ';' or 'và' further on
    ("Sở Y tế; Ủy ban nhân dân các huyện và các ngân hàng thương mại, tổ chức tín dụng trên "
     "địa bàn triển khai thực hiện.",
     [("Sở Y tế", "lead"), ("Ủy ban nhân dân các huyện", "lead"),
      ("các ngân hàng thương mại", "lead"), ("các tổ chức tín dụng trên địa bàn", "lead")]),
    # a named body before the comma: "tổ chức" is its task
    ("Sở Y tế, Sở Tư pháp tổ chức tập huấn cho cán bộ.",
     [("Sở Y tế", "lead"), ("Sở Tư pháp", "lead")]),
    # a lower-case body that belongs to a known one
    ("Phối hợp với cơ quan đầu mối của Bộ GD&ĐT triển khai áp dụng các bộ tài liệu.",
     [("cơ quan đầu mối của Bộ GD&ĐT", "support")]),
    ("Đề nghị Bộ Chỉ huy Bộ đội Biên phòng tỉnh chỉ đạo các Đồn Biên phòng phối hợp với lực "
     "lượng Dân quân tự vệ trên địa bàn tăng cường công tác tuần tra.",
     [("Bộ Chỉ huy Bộ đội Biên phòng tỉnh", "lead"), ("các Đồn Biên phòng", "lead"),
      ("lực lượng Dân quân tự vệ trên địa bàn", "support")]),
    # a comma before a head of its own: two bodies of one family, not one name
    ("Bảo hiểm xã hội Bộ Quốc phòng, Bảo hiểm xã hội Công an nhân dân có trách nhiệm in phôi thẻ.",
     [("Bảo hiểm xã hội Bộ Quốc phòng", "lead"), ("Bảo hiểm xã hội Công an nhân dân", "lead")]),
    ("Đảng ủy Khối các cơ quan tỉnh, Cảnh sát biển Vùng 1 chủ trì tuyên truyền.",
     [("Đảng ủy Khối các cơ quan tỉnh", "lead"), ("Cảnh sát biển Vùng 1", "lead")]),
])
def test_where_the_names_of_tasked_bodies_end(line: str, expected: list) -> None:
    assert tasks_of(line, issuer="Ủy ban nhân dân tỉnh Thanh Hóa") == expected


def test_heads_in_the_closing_article_are_one_assignee_each() -> None:
    line = ("Các Bộ trưởng, Thủ trưởng cơ quan ngang bộ, Thủ trưởng cơ quan thuộc Chính phủ, Chủ tịch "
            "Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương chịu trách nhiệm thi hành "
            "Quyết định này.")
    assert tasks_of(line) == [
        ("Bộ trưởng", "lead"), ("Thủ trưởng cơ quan ngang bộ", "lead"),
        ("Thủ trưởng cơ quan thuộc Chính phủ", "lead"),
        ("Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương", "lead")]
    line = ("Trưởng Ban Sổ - Thẻ, Chánh Văn phòng, Thủ trưởng các đơn vị trực thuộc Bảo hiểm xã hội "
            "Việt Nam; Giám đốc Bảo hiểm xã hội các tỉnh, thành phố trực thuộc Trung ương chịu "
            "trách nhiệm thi hành Quyết định này.")
    found = tasks_of(line, issuer="Bảo hiểm xã hội Việt Nam")
    # the office is the issuer's own: it takes no words of the next body
    assert ("Văn phòng", "lead") in found
    assert ("các đơn vị trực thuộc Bảo hiểm xã hội Việt Nam", "lead") in found
    assert len(found) == 4


def test_a_photo_caption_tasks_no_one() -> None:
    text = ("Chủ tịch UBND tỉnh yêu cầu các sở, ngành tăng cường tuần tra.\n\n"
            "Đồn Biên phòng Cửa khẩu Tén Tằn kiểm tra, kiểm soát người qua lại cửa khẩu. Ảnh: Hoàng Lan\n")
    assert tasks_of(text) == [("các sở, ngành", "lead")]


def test_a_news_post_reports_its_directive_in_the_past() -> None:
    line = "Theo đó, UBND tỉnh đã chỉ đạo các sở, ban, ngành chủ động tổ chức tuyên truyền."
    assert tasks_of(line, news=True) == [("các sở, ban, ngành", "lead")]
    assert tasks_of(line) == []  # in a dispatch: background


def test_the_issuer_is_not_tasked_by_a_verb_the_lexicon_does_not_know() -> None:
    line = "Tổng cục Hải quan trả lời các đơn vị được biết, thực hiện."
    assert tasks_of(line, issuer="Tổng cục Hải quan") == []
    assert tasks_of("Văn phòng Chính phủ xin thông báo để Bộ Y tế biết, thực hiện.",
                    issuer="Văn phòng Chính phủ") == []


def test_a_task_table_printed_one_cell_a_line_gives_each_rows_bodies_and_task() -> None:
    from tests.test_schedule import FLAT_TABLE

    text = clean(FLAT_TABLE).text
    directives, obligations = find_tasks(text, segment(text), [], [])
    assert [(o.assignee, o.role, o.directive) for o in obligations] == [
        ("Sở Thông tin và Truyền thông", "lead", 0), ("Công an tỉnh", "support", 0),
        ("Sở Văn hóa, Thể thao và Du lịch", "support", 0),
        ("Sở Lao động - Thương binh và Xã hội", "lead", 1),
        ("Công an tỉnh", "lead", 2), ("Các sở, ban, ngành", "support", 2)]
    assert [d.task for d in directives] == [
        "Tuyên truyền về phòng, chống mua bán người", "Rà soát hộ nghèo",
        "Tổng kết thực hiện chương trình"]


def test_a_long_task_is_cut_at_a_word() -> None:
    line = ("Sở Thông tin và Truyền thông chủ trì tuyên truyền " + "nâng cao nhận thức về phòng, "
            "chống mua bán người " * 20 + "trên địa bàn tỉnh.")
    text = clean(line).text
    (d,), _ = find_tasks(text, segment(text), [], [])
    assert d.task.endswith("…") and len(d.task) <= 301
    kept = d.task[:-1]
    assert kept in text and not text[text.index(kept) + len(kept)].isalpha()  # ends at a word


@pytest.mark.parametrize("line, expected", [
    ("Chủ tịch UBND tỉnh vừa ban hành chỉ thị yêu cầu Thủ trưởng các sở, ban, ngành tỉnh, Chủ tịch UBND "
     "các huyện, thị xã, thành phố quyết liệt triển khai thực hiện nghiêm túc các nhiệm vụ.",
     [("các sở, ban, ngành tỉnh", "lead"), ("Ủy ban nhân dân các huyện, thị xã, thành phố", "lead")]),
    ("Chủ tịch UBND tỉnh yêu cầu giám đốc các sở, ban, ngành và chủ tịch UBND các huyện, thị xã, thành "
     "phố khẩn trương rà soát các nhiệm vụ.",
     [("các sở, ban, ngành", "lead"), ("Ủy ban nhân dân các huyện, thị xã, thành phố", "lead")]),
    ("chủ động phối hợp với Thanh tra Chính phủ, các Bộ, ngành khác và các địa phương trong giải quyết "
     "các vụ việc.",
     [("Thanh tra Chính phủ", "support"), ("các Bộ, ngành khác", "support"), ("các địa phương", "support")]),
])
def test_adverbs_heads_and_prepositions_at_a_lists_edges(line: str, expected: list) -> None:
    assert tasks_of(line) == expected


def test_each_paragraph_under_a_heading_that_names_bodies_is_a_directive_of_theirs() -> None:
    text = clean(
        "1. Các cơ quan báo chí; Phòng Văn hóa và Thông tin các huyện, thành phố\n\n"
        "Tuyên truyền sâu rộng về Ngày toàn dân phòng, chống mua bán người.\n\n"
        "Phản ánh các hoạt động hưởng ứng trên địa bàn tỉnh.\n\n"
        "(Các khẩu hiệu bao gồm: Chung tay phòng, chống nạn mua bán người).\n\n"
        "Sở Thông tin và Truyền thông đề nghị các cơ quan quan tâm chỉ đạo thực hiện./.\n\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n\nKT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\nLê Hải Yến\n").text
    directives, obligations = find_tasks(text, segment(text), [], [])
    # no note and no address block; the closing paragraph is a statement of its own
    assert [d.task for d in directives] == [
        "tuyên truyền sâu rộng về Ngày toàn dân phòng, chống mua bán người",
        "phản ánh các hoạt động hưởng ứng trên địa bàn tỉnh", "quan tâm chỉ đạo thực hiện"]
    assert all("Nơi nhận" not in d.text for d in directives)
    assert {(o.assignee, o.directive) for o in obligations} == {
        ("Các cơ quan báo chí", 0), ("Phòng Văn hóa và Thông tin các huyện, thành phố", 0),
        ("Các cơ quan báo chí", 1), ("Phòng Văn hóa và Thông tin các huyện, thành phố", 1),
        ("các cơ quan", 2)}


ROLE_LABELS = """ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN
Số: 12/KH-UBND
Lạng Sơn, ngày 05 tháng 3 năm 2025
KẾ HOẠCH
Phòng, chống buôn lậu qua biên giới
1. Tổ chức thực hiện
a) Chi cục Hải quan nơi hàng hóa được vận chuyển đến:
Tiếp nhận hồ sơ và kiểm tra hàng hóa theo quy định.
b) Các nội dung cần triển khai:
Tổng hợp kết quả.
- Chi cục Hải quan nơi vận chuyển đi: công chức hải quan lập biên bản bàn giao.
- Sở Tư pháp: chủ trì, phối hợp với Công an tỉnh tuyên truyền pháp luật.
- Sở Y tế: phối hợp thực hiện.
- Điện thoại: 0205.3812.345
"""


def test_a_body_printed_as_the_label_of_its_tasks_is_tasked() -> None:
    """``X: <tasks>`` on one line, and a heading ``X nơi ...:`` whose verbs say which
    body is meant; a heading with no body and a contact line are not."""
    assert [(o.assignee, o.role) for o in extract(ROLE_LABELS).obligations] == [
        ("Chi cục Hải quan nơi hàng hóa được vận chuyển đến", "lead"),
        ("Chi cục Hải quan nơi vận chuyển đi", "lead"),
        ("Sở Tư pháp", "lead"),
        ("Công an tỉnh", "support"),
        ("Sở Y tế", "support"),
    ]
