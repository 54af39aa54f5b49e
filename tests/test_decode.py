"""Decoding: TCVN3 and VNI tables, picking the decoding that reads as
Vietnamese, repairing font codes inside Unicode text, and the syllable check.
Lines are from the sample dispatches (data/raw/s01-s05)."""
from __future__ import annotations

import random
import unicodedata

import pytest

from congvan.decode import (
    DecodeFailure, decode, from_legacy, legacy_bytes, repair_legacy, score, to_legacy,
)
from congvan.knowledge import table
from congvan.syllable import is_syllable, split_glued

KINH_GUI = "Kính gửi: Sở Văn hóa, Thể thao và Du lịch;"  # s01
SUBJECT = "V/v tuyên truyền “Ngày toàn dân phòng, chống mua bán người - 30/7” năm 2019"  # s01
BODY = ("Thực hiện Kế hoạch số 124/KH-UBND ngày 16/7/2019 của UBND tỉnh về phối hợp tổ chức "
        "các hoạt động hưởng ứng; Sở Thông tin và Truyền thông đề nghị các cơ quan, đơn vị:")  # s01
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
DISPATCH = "\n".join([MOTTO, KINH_GUI, SUBJECT, BODY])


# ---------------------------------------------------------------- tables


def test_tcvn3_table_has_every_small_letter_and_the_seven_capitals() -> None:
    letters = {row["unicode"] for row in table("tcvn3.tsv")}
    assert len(letters) == 74 and "ỵ" in letters and "Đ" in letters
    assert all(unicodedata.is_normalized("NFC", ch) for ch in letters)


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_every_letter_round_trips(encoding: str) -> None:
    name = "byte" if encoding == "tcvn3" else "bytes"
    for row in table(f"{encoding}.tsv"):
        data = bytes(int(h, 16) for h in row[name].split())
        assert legacy_bytes(data, encoding) == row["unicode"], row
        assert to_legacy(row["unicode"], encoding) == data


def test_well_known_mojibake_of_both_encodings() -> None:
    tcvn3 = "Céng hoµ x· héi chñ nghÜa ViÖt Nam\n§éc lËp - Tù do - H¹nh phóc"
    vni = "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam\nÑoäc laäp - Töï do - Haïnh phuùc"
    expected = "Cộng hoà xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc"
    assert from_legacy(tcvn3, "tcvn3") == expected
    assert from_legacy(vni, "vni") == expected.replace("hoà", "hòa")


def test_vni_marks_of_either_case_after_either_base() -> None:
    assert from_legacy("UÛY BAN NHAÂN DAÂN TÆNH; Uûy ban; ngöôøi", "vni") == "ỦY BAN NHÂN DÂN TỈNH; Ủy ban; người"


def test_vni_mark_after_a_letter_that_cannot_take_it_stays() -> None:
    assert from_legacy("Hoâ uâ", "vni") == "Hô uâ"


# ---------------------------------------------------------------- detection


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_legacy_bytes_are_detected_and_decoded(encoding: str) -> None:
    decoded = decode(to_legacy(DISPATCH, encoding))
    assert decoded.encoding == encoding and decoded.confidence > 0.9
    assert decoded.text == DISPATCH


def test_windows_1258_still_wins_for_its_own_bytes() -> None:
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in DISPATCH:  # Windows-1258 writes the tone as a mark after the letter
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    decoded = decode("".join(out).encode("cp1258"))
    assert decoded.encoding == "cp1258" and unicodedata.normalize("NFC", decoded.text) == DISPATCH


def test_clean_utf8_is_sure_and_ascii_is_ascii() -> None:
    assert decode(DISPATCH.encode()) .confidence == 1.0
    assert (decode(b"So: 124/KH-UBND").encoding, decode(b"So: 124/KH-UBND").confidence) == ("ascii", 1.0)


def test_utf8_with_one_broken_byte_is_still_utf8() -> None:
    data = DISPATCH.encode()
    at = data.index("Kính".encode())
    decoded = decode(data[:at] + b"\xff" + data[at:])  # a stray byte
    assert decoded.encoding == "utf-8" and decoded.text == DISPATCH.replace("Kính", "\ufffdKính")
    assert decoded.confidence < 1
    cut = DISPATCH.rstrip(":").encode()[:-1]  # cut inside its last character, "ị"
    assert decode(cut).text.endswith("đơn v\ufffd")


def test_a_declared_charset_does_not_beat_the_bytes() -> None:
    assert decode(to_legacy(DISPATCH, "vni"), declared="windows-1252").encoding == "vni"


def test_western_text_is_not_made_vietnamese() -> None:
    decoded = decode("Le café et la crème brûlée: naïve façade.".encode("cp1252"))
    assert decoded.encoding not in ("tcvn3", "vni")


def test_random_high_bytes_are_not_read_as_vietnamese() -> None:
    junk = bytes(random.Random(3).randrange(0x80, 0x100) for _ in range(3000))
    try:
        assert decode(junk).encoding not in ("tcvn3", "vni", "cp1258")
    except DecodeFailure as failure:
        assert failure.reason.startswith("undecodable text")


def test_score_counts_syllables_among_non_ascii_words() -> None:
    assert score(KINH_GUI) == (8, 8)  # Kính gửi Sở Văn hóa Thể và lịch: the non-ASCII words
    valid, judged = score("Céng hoµ x· héi chñ nghÜa ViÖt Nam")
    assert valid < judged / 2


# ---------------------------------------------------------------- repair inside Unicode


def test_vntime_lines_inside_unicode_text_are_repaired_alone() -> None:
    font = to_legacy(MOTTO, "tcvn3").decode("cp1252")
    text, encoding, confidence = repair_legacy(f"{KINH_GUI}\n{font}\n{BODY}")
    assert text == f"{KINH_GUI}\n{MOTTO}\n{BODY}"
    assert encoding == "tcvn3" and confidence > 0.8


def test_vni_lines_inside_unicode_text_are_repaired() -> None:
    font = to_legacy(SUBJECT, "vni").decode("cp1252")
    text, encoding, _ = repair_legacy(font)
    assert (text, encoding) == (SUBJECT, "vni")


@pytest.mark.parametrize("text", [
    DISPATCH,
    "Tôi là cán bộ",  # only Latin-1 letters, but real Vietnamese
    "Le café et la crème brûlée: naïve façade, Größe, Ørsted © 2019 «Bản tin»",
    "Giá: 100.000 đ · Tổng: ±5 %",
])
def test_unicode_text_is_never_rewritten(text: str) -> None:
    assert repair_legacy(text) == (text, None, None)


# ---------------------------------------------------------------- syllables


@pytest.mark.parametrize("word", ["Nghiệp", "người", "khuỷu", "quyết", "giếng", "thuở", "Hưởng",
                                  "hoà", "hòa", "ỦY", "Kạn", "gì", "ý", "oanh"])
def test_syllables(word: str) -> None:
    assert is_syllable(word)


@pytest.mark.parametrize("word", ["Céng", "Vieät", "Đồngchí", "HĐND", "Đắk", "McDonald", "café",
                                  "các̀", "ngat", "ngát̀", "ghà", "cia", "nguời"])
def test_not_syllables(word: str) -> None:
    assert not is_syllable(word)


def test_split_glued_only_when_certain() -> None:
    assert split_glued("ngàythángnăm") == (4, 9)
    assert split_glued("Tuyênquang") == (5,)
    assert split_glued("élève") == split_glued("Đồngý") == split_glued("McDonald") == ()
