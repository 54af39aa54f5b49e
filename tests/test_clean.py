"""Clean stage: NFC, one tone placement, clutter removed, and the map back.

Each test feeds a line as it arrives from a converter or a web page (lines are
from the sample dispatches under data/raw/) and checks the cleaned line; a
negative case stands beside each positive one.
"""
from __future__ import annotations

import random
import unicodedata

import pytest

from congvan.clean import clean, normalize_tones


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


def source_map(raw: str) -> list[int]:
    c = clean(raw)
    return [c.to_source(i) for i in range(len(c.text))]


# ---------------------------------------------------------------- NFC

KINH_GUI = "Kính gửi: Sở Văn hóa, Thể thao và Du lịch;"  # s01
SUBJECT = "V/v tuyên truyền “Ngày toàn dân phòng, chống mua bán người - 30/7” năm 2019"  # s01


@pytest.mark.parametrize("line", [KINH_GUI, SUBJECT, "Độc lập - Tự do - Hạnh phúc"])
def test_decomposed_input_comes_out_composed(line: str) -> None:
    raw = nfd(line)
    assert raw != line and len(raw) > len(line)
    c = clean(raw)
    assert c.text == line
    assert unicodedata.is_normalized("NFC", c.text)


def test_composed_input_is_left_alone() -> None:
    c = clean(KINH_GUI)
    assert c.text == KINH_GUI
    assert source_map(KINH_GUI) == list(range(len(KINH_GUI)))


def test_decomposed_letters_map_to_their_base_letter() -> None:
    raw = nfd("Kính gửi")  # K i U+0301 n h ' ' g u U+031B U+0309 i
    c = clean(raw)
    assert c.text == "Kính gửi"
    assert raw[c.to_source(1)] == "i"  # í
    assert raw[c.to_source(2)] == "n"
    assert raw[c.to_source(6)] == "u"  # ử
    assert raw[c.to_source(7)] == "i"


@pytest.mark.parametrize("old,new", [("hoà", "hòa"), ("Uỷ ban nhân dân", "Ủy ban nhân dân"), ("thuỷ", "thủy")])
def test_decomposed_old_tone_placement_is_also_moved(old: str, new: str) -> None:
    assert clean(nfd(old)).text == new


# ---------------------------------------------------------------- tone placement


@pytest.mark.parametrize(
    "old,new",
    [
        ("hoà", "hòa"),
        ("Uỷ ban nhân dân tỉnh", "Ủy ban nhân dân tỉnh"),
        ("thuỷ", "thủy"),
        ("Sở Văn hoá, Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch"),
        ("UỶ BAN NHÂN DÂN TỈNH HOÀ BÌNH", "ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH"),
        ("sức khoẻ", "sức khỏe"),
    ],
)
def test_old_tone_placement_moves_to_the_first_vowel(old: str, new: str) -> None:
    assert clean(old).text == new
    assert normalize_tones(old) == new
    assert len(normalize_tones(old)) == len(old)


@pytest.mark.parametrize(
    "word",
    ["hoàn thành", "quý", "ngoài", "của", "quả", "mùa", "hòa", "Ủy ban", "QUỶ"],
)
def test_closed_syllables_qu_and_new_placement_stay(word: str) -> None:
    assert clean(word).text == word
    assert normalize_tones(word) == word


def test_moved_tone_keeps_offsets_one_to_one() -> None:
    raw = "Uỷ ban nhân dân tỉnh"
    assert source_map(raw) == list(range(len(raw)))


# ---------------------------------------------------------------- markdown clutter


@pytest.mark.parametrize(
    "raw,cleaned",
    [
        ("**KT. GIÁM ĐỐC**", "KT. GIÁM ĐỐC"),  # s02
        ("**KT.GIÁM ĐỐC\nPHÓ GIÁM ĐỐC**", "KT.GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"),  # s01
        ("### ***Nơi nhận:***", "Nơi nhận:"),  # s03
        ("## 2. Hình thức thông tin, tuyên truyền", "2. Hình thức thông tin, tuyên truyền"),  # s03
        ("*Hà Nội, ngày tháng năm 2023*", "Hà Nội, ngày tháng năm 2023"),  # s03
        ("**Phạm Quang Hưởng**", "Phạm Quang Hưởng"),  # s03
        ("_Kính gửi_", "Kính gửi"),
        ("\\- Như trên;", "- Như trên;"),
    ],
)
def test_markdown_marks_are_removed(raw: str, cleaned: str) -> None:
    assert clean(raw).text == cleaned


@pytest.mark.parametrize(
    "line",
    [
        "- Như trên;",  # a bullet is not markdown clutter
        "- Lưu: VT, TTBCXB(Loan).",  # s01
        "theo mẫu số 03/KBS/GSQL",
        "Kế hoạch #3 của Ban Chỉ đạo",  # '#' inside a line
        "Các xã có dấu (*) là xã biên giới",
        "Sở Lao động - Thương binh và Xã hội",
    ],
)
def test_text_that_only_looks_like_markdown_stays(line: str) -> None:
    assert clean(line).text == line


# ---------------------------------------------------------------- web clutter


@pytest.mark.parametrize(
    "raw,cleaned",
    [
        ("Skip to main content\nBan biên tập | 13 June 2019", "Ban biên tập | 13 June 2019"),  # s05
        ("bảo vệ an ninh Tổ quốc./.\nList comment\n", "bảo vệ an ninh Tổ quốc./.\n"),  # s04
        ("P.Liên\nChủ đề :\nbáo chí", "P.Liên\nbáo chí"),  # s04
        ("Xem với cỡ chữ A A A\nNội dung", "Nội dung"),
        ("(Ảnh minh họa)\nCác cơ quan báo chí", "Các cơ quan báo chí"),
        ("  List comment  \nx", "x"),
    ],
)
def test_web_clutter_lines_are_removed(raw: str, cleaned: str) -> None:
    assert clean(raw).text == cleaned


@pytest.mark.parametrize(
    "line",
    [
        "Chia sẻ kinh nghiệm phòng, chống mua bán người",
        "Thực hiện tốt công tác truyền thông phòng, chống mua bán người (Ảnh minh họa)",  # s04
        "Chủ đề của năm 2020 là phòng, chống mua bán người",
        "Skip to main content của trang",
    ],
)
def test_lines_that_only_contain_clutter_words_stay(line: str) -> None:
    assert clean(line).text == line


def test_web_clutter_lines_with_windows_line_ends_are_removed() -> None:
    assert clean("Skip to main content\r\nBan biên tập | 13 June 2019").text == "Ban biên tập | 13 June 2019"


def test_windows_line_ends_become_newlines() -> None:
    c = clean("Nơi nhận:\r\n- Như trên;\r\n- Lưu: VT.")
    assert c.text == "Nơi nhận:\n- Như trên;\n- Lưu: VT."
    # the "\n" maps to the "\r" that opened the pair
    assert c.to_source(9) == 9


# ---------------------------------------------------------------- NBSP and zero-width


@pytest.mark.parametrize(
    "raw,cleaned",
    [
        ("Kính\u00a0gửi:\u00a0Báo Lạng Sơn;", "Kính gửi: Báo Lạng Sơn;"),
        ("\u00a0\u00a0 Nhằm phát huy", "   Nhằm phát huy"),  # s05 indentation
        ("Sở\u202fTài chính", "Sở Tài chính"),
        ("Sở\tTài chính", "Sở Tài chính"),
        ("Sở\u200b Thông tin và\u200c Truyền thông", "Sở Thông tin và Truyền thông"),
        ("\ufeffSố: 124/KH-UBND", "Số: 124/KH-UBND"),
        ("truyền\u00adthông", "truyền thông"),  # and the glued word is split
        ("Đồng\u2060chí", "Đồng chí"),
        ("Sở Thông tin\u200d và", "Sở Thông tin và"),
        ("Nơi nhận:\ufeff- Như trên;", "Nơi nhận:- Như trên;"),
    ],
)
def test_nbsp_becomes_space_and_invisible_chars_go(raw: str, cleaned: str) -> None:
    assert clean(raw).text == cleaned


@pytest.mark.parametrize("line", ["Lao động - Thương binh", "ngày 20/02/2023 – 30/7", "a  b"])
def test_ordinary_spaces_and_dashes_stay(line: str) -> None:
    assert clean(line).text == line


def test_zero_width_chars_map_to_nothing() -> None:
    raw = "Sở\u200b\u200c Tài\u200dchính"
    c = clean(raw)
    assert c.text == "Sở Tài chính"
    assert [raw[c.to_source(i)] for i in range(len(c.text))] == list("Sở Tài") + ["c"] + list("chính")


# ---------------------------------------------------------------- glued words

@pytest.mark.parametrize(
    "raw,cleaned",
    [
        ("Đồngchí Giám đốc Sở", "Đồng chí Giám đốc Sở"),
        ("Lạng Sơn, ngàythángnăm 2019", "Lạng Sơn, ngày tháng năm 2019"),
        ("Sở Thôngtin và Truyềnthông", "Sở Thông tin và Truyền thông"),
        ("ĐỒNGCHÍ GIÁM ĐỐC", "ĐỒNG CHÍ GIÁM ĐỐC"),
        ("thành phố ĐàNẵng", "thành phố Đà Nẵng"),
        ("Chủ tịch HồChíMinh", "Chủ tịch Hồ Chí Minh"),
        ("Kính gửi các cơ quan, đơn vịvàcác huyện", "Kính gửi các cơ quan, đơn vị và các huyện"),
    ],
)
def test_glued_words_are_split_where_certain(raw: str, cleaned: str) -> None:
    assert clean(raw).text == cleaned
    assert clean(nfd(raw)).text == cleaned


@pytest.mark.parametrize(
    "line",
    [
        "McDonald và KFC",  # names in CamelCase, ASCII
        "Số: 124/KH-UBND; UBND tỉnh; TP.HCM; HĐND; BCĐ 138; QĐ-TTg",  # symbols, abbreviations
        "tỉnh Đắk Lắk, Bắc Kạn, Kon Tum",  # place names outside the syllable rules
        "Hôtel de Ville, élève, café",  # French: no split into Vietnamese syllables
        "Đồngý",  # a vowel-initial second syllable: not certain
        "UBNDtỉnh",  # an abbreviation glued to a word: not certain
        "nguời",  # a typo, not two words
        "Sở Văn hóa, Thể thao và Du lịch; nghiêng, khuỷu, người, thuở, quyết, giếng",
    ],
)
def test_words_that_are_not_certainly_glued_stay(line: str) -> None:
    assert clean(line).text == line


def test_split_keeps_the_map_to_the_source() -> None:
    raw = "**Đồngchí** Nguyễn Văn A"
    c = clean(raw)
    assert c.text == "Đồng chí Nguyễn Văn A"
    got = [c.to_source(i) for i in range(len(c.text))]
    # the inserted space and the "c" after it both point at the source "c"
    assert got[:9] == [2, 3, 4, 5, 6, 6, 7, 8, 11]
    assert c.to_source(c.text.index("Nguyễn")) == raw.index("Nguyễn")
    assert c.to_source(len(c.text)) == len(raw)


def test_split_after_decomposed_letters_keeps_the_map() -> None:
    raw = nfd("ngàythángnăm 2019")
    c = clean(raw)
    assert c.text == "ngày tháng năm 2019"
    got = [c.to_source(i) for i in range(len(c.text))]
    assert got == sorted(got)
    for i, ch in enumerate(c.text):
        if ch != " " or i == len("ngày tháng năm"):
            assert unicodedata.normalize("NFD", ch)[0] == raw[got[i]], (i, ch)


# ---------------------------------------------------------------- crawler fragments


@pytest.mark.parametrize(
    "raw,cleaned",
    [
        (
            "Quyết định số 1629/QĐ-TTg [Link: https://thuvienphapluat.vn/van-ban/1629.aspx] ngày 10/11/2016",
            "Quyết định số 1629/QĐ-TTg ngày 10/11/2016",
        ),
        ("Thông tư số 22/2014/TT-BTC [JavaScript: void(0)]", "Thông tư số 22/2014/TT-BTC"),
        ("[Image: logo-lang-son.png]Sở Thông tin", "Sở Thông tin"),
        ("Điều 1 [ID: dieu_1]. Phê duyệt", "Điều 1. Phê duyệt"),
    ],
)
def test_crawler_fragments_are_removed(raw: str, cleaned: str) -> None:
    assert clean(raw).text == cleaned


@pytest.mark.parametrize(
    "line",
    ["Xem chú thích [1] cuối trang", "[Phụ lục kèm theo]", "Link: https://mic.gov.vn"],
)
def test_brackets_that_are_not_crawler_fragments_stay(line: str) -> None:
    assert clean(line).text == line


# ---------------------------------------------------------------- the offset map, by hand


def test_map_after_removed_bold_marks() -> None:
    raw = "**KT. GIÁM ĐỐC**\nPHÓ GIÁM ĐỐC"
    c = clean(raw)
    assert c.text == "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    assert c.text[0] == "K" and c.to_source(0) == 2 and raw[2] == "K"
    p = c.text.index("PHÓ")
    assert raw[c.to_source(p)] == "P" and c.to_source(p) == raw.index("PHÓ")
    nl = c.text.index("\n")
    assert raw[c.to_source(nl)] == "\n"


def test_map_after_removed_heading_marks() -> None:
    raw = "Trân trọng./.\n\n### ***Nơi nhận:***\n\n- Như trên;"
    c = clean(raw)
    n = c.text.index("Nơi")
    assert c.to_source(n) == raw.index("Nơi")
    dash = c.text.index("- Như")
    assert c.to_source(dash) == raw.index("- Như")


def test_map_after_a_removed_clutter_line() -> None:
    raw = "Skip to main content\nBan biên tập | 13 June 2019"
    c = clean(raw)
    assert c.to_source(0) == raw.index("Ban")
    assert c.to_source(c.text.index("13")) == raw.index("13")


def test_map_after_a_removed_crawler_fragment() -> None:
    raw = "Quyết định số 1629/QĐ-TTg [Link: https://x.vn/a] ngày 10/11/2016"
    c = clean(raw)
    i = c.text.index(" ngày")
    assert c.to_source(i) == raw.index(" ngày")
    assert c.to_source(i - 1) == raw.index("TTg") + 2  # the "g" before the fragment


def test_map_after_nfc_and_invisible_chars() -> None:
    raw = "\ufeff" + nfd("Số") + ":\u00a0124/KH-UBND"
    c = clean(raw)
    assert c.text == "Số: 124/KH-UBND"
    assert [raw[c.to_source(i)] for i in range(4)] == ["S", "o", ":", "\u00a0"]
    assert c.to_source(c.text.index("124")) == raw.index("124")


def test_map_is_the_identity_past_the_end_of_the_last_edit() -> None:
    raw = "**KT.** abc"
    c = clean(raw)
    assert c.text == "KT. abc"
    assert c.to_source(len(c.text)) == len(raw)


# ---------------------------------------------------------------- the offset map, random edits

PLAIN = ["Số:", "124/KH-UBND", "Lạng", "Sơn,", "ngày", "16/7/2019", "KT.", "GIÁM", "ĐỐC",
         "Như", "trên;", "-", "Hội", "LHPN,", "CA", "tỉnh", "(đăng", "tải)", "hoàn", "quý",
         "ngoài", "30/7”", "“Ngày", "của"]
OLD_TONE = [("hoà", "hòa"), ("Uỷ", "Ủy"), ("thuỷ", "thủy"), ("HOÀ", "HÒA"), ("khoẻ", "khỏe")]
DECOMPOSED = ["Kính", "Thông", "Truyền", "Việt", "Đồng", "Phòng", "Hưởng", "tuyên"]
SEPARATORS = [(" ", " ", [0]), ("\u00a0", " ", [0]), (" \u200b", " ", [0]),
              ("\u200b ", " ", [1]), ("\t", " ", [0])]
CLUTTER_LINES = ["Skip to main content", "List comment", "Chủ đề :", "(Ảnh minh họa)"]


class _Builder:
    def __init__(self) -> None:
        self.raw: list[str] = []
        self.clean: list[str] = []
        self.map: list[int] = []
        self.pos = 0

    def add(self, raw: str, cleaned: str, offsets: list[int]) -> None:
        assert len(cleaned) == len(offsets)
        self.raw.append(raw)
        self.clean.append(cleaned)
        self.map.extend(self.pos + o for o in offsets)
        self.pos += len(raw)

    def same(self, s: str) -> None:
        self.add(s, s, list(range(len(s))))


def _word(b: _Builder, rng: random.Random) -> None:
    kind = rng.random()
    if kind < 0.5:
        b.same(rng.choice(PLAIN))
    elif kind < 0.75:
        old, new = rng.choice(OLD_TONE)
        b.add(old, new, list(range(len(old))))
    else:
        word = rng.choice(DECOMPOSED)
        raw = nfd(word)
        starts = [i for i, ch in enumerate(raw) if not unicodedata.combining(ch)]
        b.add(raw, word, starts)


def _random_document(rng: random.Random) -> _Builder:
    b = _Builder()
    for _ in range(rng.randint(1, 8)):
        if rng.random() < 0.15:
            b.add(rng.choice(CLUTTER_LINES) + "\n", "", [])
            continue
        if rng.random() < 0.2:
            b.add(rng.choice(["# ", "### ", "  ## "]), "", [])
        for k in range(rng.randint(1, 6)):
            if k:
                raw, cleaned, offs = rng.choice(SEPARATORS)
                b.add(raw, cleaned, offs)
            bold = rng.random() < 0.2
            if bold:
                b.add(rng.choice(["*", "**", "***"]), "", [])
            _word(b, rng)
            if bold:
                b.add("**", "", [])
            if rng.random() < 0.1:
                b.add(" [Link: https://vanban.example.vn/a?id=1]", "", [])
        if rng.random() < 0.3:
            b.add("\r\n", "\n", [0])
        else:
            b.same("\n")
    return b


@pytest.mark.parametrize("seed", range(200))
def test_random_edits_map_each_cleaned_char_to_its_source(seed: int) -> None:
    b = _random_document(random.Random(seed))
    raw, expected = "".join(b.raw), "".join(b.clean)
    c = clean(raw)
    assert c.text == expected
    got = [c.to_source(i) for i in range(len(c.text))]
    assert got == b.map
    # the map only moves forward, and every target is a real source char
    assert all(0 <= j < len(raw) for j in got)
    assert got == sorted(got)
    assert c.source_len == len(raw)
