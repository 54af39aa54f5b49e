"""Who is tasked with what: real lines from dispatches in, (assignee, role) out."""
from __future__ import annotations

import pytest

from pipeline.assign import find_tasks, names_no_body
from pipeline.clean import clean
from pipeline.extract import extract
from pipeline.segment import segment


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
