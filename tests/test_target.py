"""Target stage: the risk groups that the work targets, with the words as printed.

Lines as dispatches print them in, the expected (code, words) out; beside the
positives, a Duckling-style list of phrases that must give no group (bodies'
names, cited titles, places, the population at large ...). Every record is
checked against the text it points into.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from congvan.clean import clean
from congvan.extract import extract
from congvan.segment import segment
from congvan.target import find_risk_groups


def groups(text: str) -> list[tuple[str, str]]:
    text = clean(text).text
    found = find_risk_groups(text, segment(text))
    for g in found:
        assert text[g.start:g.end] == g.text
    return [(g.code, g.text) for g in found]


def codes(text: str) -> set[str]:
    return {code for code, _ in groups(text)}


# ================================================================ groups named as targets


@pytest.mark.parametrize(
    "line,expected",
    [
        # s01: the at-risk groups listed after "tập trung vào các nhóm đối tượng nguy cơ cao"
        ("hình thức tuyên truyền đa dạng, phong phú, tập trung vào các nhóm đối tượng nguy cơ cao "
         "là nạn nhân của tội phạm mua bán người như: Phụ nữ, trẻ em có điều kiện, hoàn cảnh kinh tế "
         "khó khăn; học sinh, sinh viên có lối sống ăn chơi, đua đòi, thích hưởng thụ; công dân tự ý "
         "vượt biên trái phép tìm kiếm việc làm, kết hôn...",
         [("women", "Phụ nữ"), ("children", "trẻ em"),
          ("poor_disadvantaged", "có điều kiện, hoàn cảnh kinh tế khó khăn"),
          ("students", "học sinh"), ("students", "sinh viên"),
          ("irregular_migrants", "tự ý vượt biên trái phép")]),
        # s01: the object of "nâng cao nhận thức của"
        ("Tuyên truyền nâng cao nhận thức của người sử dụng dịch vụ internet, viễn thông và mạng xã hội "
         "về việc tự bảo mật thông tin cá nhân trên môi trường mạng.",
         [("internet_users", "người sử dụng dịch vụ internet")]),
        # s02: after "nhất là"; a bare "biên giới" counts beside the other areas
        ("nâng cao nhận thức pháp luật cho Nhân dân, nhất là thanh thiếu niên, người lao động, học sinh, "
         "sinh viên,... ở các địa bàn vùng sâu, vùng xa, vùng đồng bào dân tộc thiểu số, biên giới.",
         [("youth", "thanh thiếu niên"), ("workers", "người lao động"), ("students", "học sinh"),
          ("students", "sinh viên"), ("remote_areas", "vùng sâu"), ("remote_areas", "vùng xa"),
          ("ethnic_minorities", "vùng đồng bào dân tộc thiểu số"), ("border_areas", "biên giới")]),
        # s02: the special circumstances, and minors after prison
        ("chú trọng các địa bàn vùng sâu, vùng xa, dân tộc thiểu số; nhóm trẻ em khuyết tật, trẻ em tại "
         "các cơ sở bảo trợ xã hội, trường dân tộc nội trú; trẻ em mồ côi hiện sống cùng người thân; "
         "người dưới 18 tuổi sau khi chấp hành án phạt tù có thời hạn.",
         [("remote_areas", "vùng sâu"), ("remote_areas", "vùng xa"),
          ("ethnic_minorities", "dân tộc thiểu số"),
          ("children_special", "trẻ em khuyết tật"),
          ("children_special", "trẻ em tại các cơ sở bảo trợ xã hội"),
          ("students", "trường dân tộc nội trú"), ("children_special", "trẻ em mồ côi"),
          ("children", "người dưới 18 tuổi"), ("ex_offenders", "sau khi chấp hành án phạt tù")]),
        # s02: migrant workers and people in prostitution
        ("khu trọ của học sinh, sinh viên, lao động ngoại tỉnh để hạn chế phát sinh mới số người tham gia "
         "hoạt động mại dâm; giảm kỳ thị, phân biệt đối xử của cộng đồng đối với người bán dâm;",
         [("students", "học sinh"), ("students", "sinh viên"), ("workers", "lao động ngoại tỉnh"),
          ("sex_workers", "người tham gia hoạt động mại dâm"), ("sex_workers", "người bán dâm")]),
        # s04 and s05: victims supported
        ("tuyên truyền về đường dây nóng để tư vấn, hỗ trợ nạn nhân bị mua bán;",
         [("trafficking_victims", "nạn nhân bị mua bán")]),
        ("Ban Chỉ đạo yêu cầu các sở, ban, ngành, nhất là các huyện chỉ đạo điểm của tỉnh, huyện biên "
         "giới tiếp tục quán triệt, phổ biến rộng rãi",
         [("border_areas", "huyện biên giới")]),
        # one phrase, two groups; the specific phrase wins over "người lao động"
        ("chăm lo đời sống của người lao động nghèo; hỗ trợ người lao động đi làm việc ở nước ngoài theo "
         "hợp đồng.",
         [("workers", "người lao động nghèo"), ("poor_disadvantaged", "người lao động nghèo"),
          ("overseas_workers", "người lao động đi làm việc ở nước ngoài theo hợp đồng")]),
        ("Tổ chức tuyên truyền cho phụ nữ và trẻ em gái ở các xã đặc biệt khó khăn, hộ nghèo, hộ cận nghèo.",
         [("women", "phụ nữ"), ("women", "trẻ em gái"), ("remote_areas", "xã đặc biệt khó khăn"),
          ("poor_disadvantaged", "hộ nghèo"), ("poor_disadvantaged", "hộ cận nghèo")]),
        ("Quản lý, hỗ trợ người nghiện ma túy, người sau cai nghiện và người chấp hành xong án phạt tù "
         "trở về địa phương; phòng ngừa kết hôn với người nước ngoài trái pháp luật.",
         [("drug_users", "người nghiện ma túy"), ("drug_users", "người sau cai nghiện"),
          ("ex_offenders", "người chấp hành xong án phạt tù"),
          ("cross_border_marriage", "kết hôn với người nước ngoài")]),
        # "hải đảo" alone is a sector word; in a list of areas it is one of them
        ("Ưu tiên nguồn lực cho vùng sâu, vùng xa, biên giới, hải đảo.",
         [("remote_areas", "vùng sâu"), ("remote_areas", "vùng xa"), ("border_areas", "biên giới"),
          ("remote_areas", "hải đảo")]),
        # a bare "biên giới" after a focus cue; a citation closed by a comma has no title
        ("Tập trung tuyên truyền tại biên giới.", [("border_areas", "biên giới")]),
        ("theo Quyết định số 12/QĐ-UBND ngày 05/01/2024, hỗ trợ người lao động mất việc làm",
         [("workers", "người lao động")]),
        ("vận động thanh niên, phụ nữ tham gia", [("youth", "thanh niên"), ("women", "phụ nữ")]),
        # a body's name has ended before its task: the group after it counts
        ("Sở Lao động - Thương binh và Xã hội tuyên truyền cho phụ nữ", [("women", "phụ nữ")]),
        ("ưu tiên đối tượng có nguy cơ cao như phụ nữ bị mua bán trở về, phụ nữ sinh sống ở địa bàn "
         "khó khăn, biên giới;",
         [("women", "phụ nữ bị mua bán trở về"), ("trafficking_victims", "phụ nữ bị mua bán trở về"),
          ("women", "phụ nữ"), ("remote_areas", "địa bàn khó khăn"), ("border_areas", "biên giới")]),
        # an upper-case heading is no proper name
        ("II. TUYÊN TRUYỀN CHO PHỤ NỮ VÀ TRẺ EM", [("women", "PHỤ NỮ"), ("children", "TRẺ EM")]),
    ],
)
def test_groups_named_as_targets(line: str, expected: list[tuple[str, str]]) -> None:
    assert groups(line) == expected


def test_old_tone_placement_and_wrapped_lines_in_uncleaned_text() -> None:
    text = "hỗ trợ người sử dụng trái phép chất ma tuý và người\nbị mua bán trở về"
    found = find_risk_groups(text, segment(text))
    assert [(g.code, g.text, text[g.start:g.end]) for g in found] == [
        ("drug_users", "người sử dụng trái phép chất ma tuý", "người sử dụng trái phép chất ma tuý"),
        ("trafficking_victims", "người\nbị mua bán trở về", "người\nbị mua bán trở về"),
    ]


def test_bare_victims_count_in_a_text_about_trafficking() -> None:
    # s03: "nạn nhân" alone, in a dispatch on "phòng, chống mua bán người"
    text = ("tuyên truyền về công tác phòng, chống mua bán người; lồng ghép thông tin về quyền của nạn "
            "nhân, đường dây nóng tiếp nhận thông tin dành cho nạn nhân.")
    assert groups(text) == [("trafficking_victims", "nạn nhân"), ("trafficking_victims", "nạn nhân")]
    # the topic may show only as "nạn nhân bị mua bán"
    text = "hỗ trợ nạn nhân bị mua bán trở về, giúp nạn nhân hòa nhập cộng đồng"
    assert groups(text) == [("trafficking_victims", "nạn nhân bị mua bán trở về"),
                            ("trafficking_victims", "nạn nhân")]
    # the same words where nothing is about trafficking
    assert groups("kịp thời hỗ trợ nạn nhân, khắc phục hậu quả.") == []


def test_potential_victims_are_not_victims() -> None:
    # s02: those at risk of becoming victims are described, not the victims
    text = ("Tổ chức tuyên truyền phòng, chống mua bán người hướng đến các đối tượng có nguy cơ cao là "
            "nạn nhân của tội phạm mua bán người; những đối tượng có nguy cơ cao trở thành nạn nhân.")
    assert groups(text) == []
    assert groups("hỗ trợ nạn nhân của tội phạm mua bán người trở về") == [
        ("trafficking_victims", "nạn nhân của tội phạm mua bán người trở về")]


# ================================================================ phrases that give no group


@pytest.mark.parametrize(
    "line",
    [
        # bodies' names (s05, s01, s02 and the forms of the issue)
        "Hội Liên hiệp Phụ nữ tỉnh chủ trì, phối hợp với các cơ quan, đơn vị liên quan",
        "Ban Thường vụ Tỉnh đoàn chỉ đạo Đoàn Thanh niên Cộng sản Hồ Chí Minh các huyện",
        "Sở Lao động - Thương binh và Xã hội chủ trì, phối hợp với Liên đoàn Lao động tỉnh",
        "Ban Dân tộc tỉnh; Bộ Chỉ huy Bộ đội Biên phòng tỉnh; Đồn Biên phòng Chi Ma",
        "Trường Phổ thông Dân tộc nội trú tỉnh tổ chức khai giảng",
        "gắn với các phong trào thi đua của trường học, đoàn thanh niên, phụ nữ, hội sinh viên ...",
        "qua Tổng đài quốc gia bảo vệ trẻ em 111 do Bộ Lao động – Thương binh và Xã hội quản lý",
        "thông tin về quyền và nghĩa vụ của tổ chức đại diện người lao động",
        "Dự hội nghị có Phó Ban công tác phụ nữ và đại diện Ủy ban quốc gia về trẻ em",
        "Báo Thanh Niên, Báo Phụ nữ Việt Nam đăng tải",
        "Mặt trận Tổ quốc và các đoàn thể: Công đoàn, Thanh niên, Phụ nữ, Nông dân tuyên truyền",
        # the population at large has no code
        "tuyên truyền cho đồng bào các dân tộc trong tỉnh",
        "Toàn dân tích cực hưởng ứng; nâng cao nhận thức của nhân dân và người dân",
        # titles of laws, days and cited documents
        "Căn cứ Luật Trẻ em năm 2016; Bộ luật Lao động năm 2019;",
        "theo Luật Người lao động Việt Nam đi làm việc ở nước ngoài theo hợp đồng",
        "tổ chức các hoạt động kỷ niệm Ngày Quốc tế Phụ nữ 8/3",
        "Thực hiện Kế hoạch số 600/KH-TBCĐKH506 ngày 22/02/2023 của Tiểu Ban Chỉ đạo KH506 tỉnh "
        "phòng, chống tội phạm xâm hại trẻ em và phòng, chống tội phạm, vi phạm pháp luật liên quan "
        "đến người dưới 18 tuổi năm 2023; Sở Thông tin và Truyền thông trân trọng đề nghị:",
        "Căn cứ Nghị quyết số 12/2021/NQ-HĐND ngày 10/7/2021 về chính sách hỗ trợ hộ nghèo;",
        "tiếp tục thực hiện Đề án “Hỗ trợ phụ nữ khởi nghiệp giai đoạn 2017-2025”",
        "sau 4 năm triển khai Dự án 8 “Thực hiện bình đẳng giới đối với phụ nữ và trẻ em”",
        # places, borders and the sea as geography
        "| Xã Hòa Thạnh | Xã Biên Giới | Xã An Bình |",
        "hợp tác quốc tế trong quản lý nguồn nước xuyên biên giới; bản đồ biên giới quốc gia",
        "bố trí kinh phí cho công tác quản lý biên giới",
        "tổng kết việc thi hành Luật Tài nguyên, môi trường biển và hải đảo",
        "hợp tác với lực lượng chức năng Khu tự trị dân tộc Choang Quảng Tây (Trung Quốc)",
        # other harm, other people
        "nạn nhân của bạo lực gia đình; nạn nhân bị xâm hại tình dục",
        "cha hoặc mẹ đang trong thời gian chấp hành hình phạt tù tại trại giam",
        "quán triệt đến cán bộ, công chức, viên chức và người lao động thuộc quyền quản lý",
        "quyền lợi của người sử dụng lao động; quan hệ lao động, thị trường lao động",
        "không để các đối tượng tội phạm lợi dụng khai thác thông tin",
    ],
)
def test_phrases_that_name_no_group(line: str) -> None:
    assert groups(line) == []


def test_recipients_and_header_are_not_targets() -> None:
    text = ("HỘI LIÊN HIỆP PHỤ NỮ\nTỈNH LẠNG SƠN\n\nSố: 12/KH-HLHPN\n\n"
            "Lạng Sơn, ngày 16 tháng 7 năm 2019\n\nV/v tuyên truyền\n\n"
            "Kính gửi:\n\n- Ban Dân tộc tỉnh;\n- Đoàn Thanh niên tỉnh.\n\n"
            "Đề nghị tuyên truyền cho đồng bào dân tộc thiểu số./.\n\n"
            "Nơi nhận:\n- Như trên;\n- Hội phụ nữ các huyện;\n- Lưu: VT.\n")
    assert groups(text) == [("ethnic_minorities", "đồng bào dân tộc thiểu số")]


def test_the_json_view_is_the_set_of_codes() -> None:
    x = extract("Tuyên truyền cho học sinh, sinh viên và trẻ em; hỗ trợ trẻ em mồ côi.")
    assert x.to_json()["risk_groups"] == ["children", "children_special", "students"]
    assert all(x.text[g.start:g.end] == g.text and g.stage == "target" for g in x.risk_groups)


# ================================================================ the dev corpus


def test_dev_corpus_risk_groups_f1(dev_corpus: Path) -> None:
    """Micro F1 of the code sets over the dev corpus (nothing of it is copied here)."""
    tp = fp = fn = 0
    for gold_path in sorted(dev_corpus.glob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8")).get("risk_groups")
        if gold is None:
            continue
        raw = gold_path.with_name(gold_path.name.replace(".gold.json", ".txt")).read_text(encoding="utf-8")
        found = codes(raw)
        tp += len(found & set(gold))
        fp += len(found - set(gold))
        fn += len(set(gold) - found)
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
    assert f1 >= 0.90, (tp, fp, fn)


@pytest.mark.parametrize("line, expected", [
    ("lập cơ sở dữ liệu đối tượng tham gia hoạt động mại dâm, nhóm có nguy cơ cao", {"sex_workers"}),
    ("theo dõi việc di cư lao động, xuất khẩu lao động, kết hôn có yếu tố nước ngoài",
     {"workers", "overseas_workers", "cross_border_marriage"}),
    # a named country makes the workers people going abroad to work
    ("xử lý hành vi lừa gạt người lao động đi tìm việc làm bất hợp pháp tại Malaysia", {"overseas_workers"}),
    ("hàng trăm thiếu nữ bị dụ dỗ đi làm công ty", {"women"}),
])
def test_more_ways_of_naming_a_group(line: str, expected: set[str]) -> None:
    assert codes(line) == expected


def test_a_womens_union_is_no_group_beside_a_country() -> None:
    assert codes("Đề nghị Hội Liên hiệp Phụ nữ tỉnh tuyên truyền cho người lao động đi làm việc tại "
                 "Hàn Quốc") == {"overseas_workers"}
