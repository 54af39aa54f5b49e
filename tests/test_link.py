"""Link stage: assignee names to canonical agencies, and a document's own context.

Names as the sample dispatches (data/raw/, s01–s05) and ADMIN_DOCS.md print
them, abbreviations already expanded by ``resolve.expand``; the canonical name,
level and kind out. A negative case stands beside each positive one: a person
names no agency, ``Hà Nội`` under a ministry is no province, a name with its own
province keeps it.
"""
from __future__ import annotations

import pytest

from congvan.extract import extract
from congvan.link import Context, agency_id, context_of, link, province_unit
from congvan.models import DocumentInfo, Field

LANG_SON = Context(province="Lạng Sơn",
                   issuer="Sở Thông tin và Truyền thông tỉnh Lạng Sơn")  # s01, s02
KON_TUM = Context(province="Kon Tum", issuer="Ủy ban nhân dân tỉnh Kon Tum")
HA_NOI = Context(province="Hà Nội")
VAN_LANG = Context(province="Lạng Sơn", district="huyện Văn Lãng")
BTC = Context(ministry="Bộ Tài chính", issuer="Bộ Tài chính")
BTP = Context(ministry="Bộ Tư pháp", issuer="Bộ Tư pháp")
CENTRAL = Context(ministry="Cục Thông tin cơ sở", issuer="Cục Thông tin cơ sở")  # s03
NONE = Context()


def canon(name: str, ctx: Context) -> str | None:
    a = link(name, ctx)
    return a.name if a else None


# ================================================================ the province from the context


@pytest.mark.parametrize(
    "name,ctx,expected",
    [
        ("Ủy ban nhân dân tỉnh", LANG_SON, "Ủy ban nhân dân tỉnh Lạng Sơn"),
        ("UBND tỉnh", LANG_SON, "Ủy ban nhân dân tỉnh Lạng Sơn"),  # expanded here too
        ("Uỷ ban nhân dân Tỉnh", LANG_SON, "Ủy ban nhân dân tỉnh Lạng Sơn"),  # one spelling
        ("Sở Văn hóa, Thể thao và Du lịch", LANG_SON,
         "Sở Văn hóa, Thể thao và Du lịch tỉnh Lạng Sơn"),  # s01
        ("Sở Văn hóa, Thể thao và Du lịch tỉnh", LANG_SON,
         "Sở Văn hóa, Thể thao và Du lịch tỉnh Lạng Sơn"),
        ("Công an tỉnh", LANG_SON, "Công an tỉnh Lạng Sơn"),  # s01, s05
        ("Bộ Chỉ huy Bộ đội Biên phòng tỉnh", LANG_SON,
         "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Lạng Sơn"),  # s01
        ("Hội Liên hiệp Phụ nữ tỉnh", LANG_SON, "Hội Liên hiệp Phụ nữ tỉnh Lạng Sơn"),  # s05
        ("Sở Ngoại vụ", LANG_SON, "Sở Ngoại vụ tỉnh Lạng Sơn"),  # s05
        ("Ban Tuyên giáo Tỉnh ủy", KON_TUM, "Ban Tuyên giáo Tỉnh ủy Kon Tum"),
        ("Tỉnh ủy", KON_TUM, "Tỉnh ủy Kon Tum"),
        ("Ủy ban Mặt trận Tổ quốc Việt Nam", KON_TUM,
         "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Kon Tum"),
        ("Thường trực Hội đồng nhân dân tỉnh", KON_TUM,
         "Thường trực Hội đồng nhân dân tỉnh Kon Tum"),
        # city-level provinces are "thành phố"
        ("Ủy ban nhân dân thành phố", HA_NOI, "Ủy ban nhân dân thành phố Hà Nội"),
        ("Sở Y tế", HA_NOI, "Sở Y tế thành phố Hà Nội"),
    ],
)
def test_province_from_context(name: str, ctx: Context, expected: str) -> None:
    assert canon(name, ctx) == expected


@pytest.mark.parametrize(
    "name,ctx,expected",
    [
        # a name that carries its own province keeps it
        ("Ủy ban nhân dân tỉnh Lai Châu", LANG_SON, "Ủy ban nhân dân tỉnh Lai Châu"),
        ("Báo Lạng Sơn", KON_TUM, "Báo Lạng Sơn"),  # s01: a province name ends it
        ("Kho bạc nhà nước Tuyên Quang", KON_TUM, "Kho bạc Nhà nước Tuyên Quang"),
        ("Cục Hải quan TP.HCM", NONE, "Cục Hải quan thành phố Hồ Chí Minh"),
        # central bodies get no province
        ("Cục Cảnh sát hình sự", LANG_SON, "Cục Cảnh sát hình sự"),
        ("Bộ Công an", LANG_SON, "Bộ Công an"),
        ("Thủ tướng Chính phủ", LANG_SON, "Thủ tướng Chính phủ"),
        ("Hội Liên hiệp Phụ nữ Việt Nam", LANG_SON, "Hội Liên hiệp Phụ nữ Việt Nam"),
        # a central document has no province to give
        ("Sở Thông tin và Truyền thông các tỉnh, thành phố", CENTRAL,
         "Sở Thông tin và Truyền thông các tỉnh, thành phố"),  # s03
        ("Ban Tuyên giáo Tỉnh ủy", CENTRAL, "Ban Tuyên giáo Tỉnh ủy"),  # s04
        ("Sở Tư pháp", BTP, "Sở Tư pháp"),  # every province's, in a ministry's decision
        # "Hồ Chí Minh" here is a person's name, not the city
        ("Đoàn Thanh niên Cộng sản Hồ Chí Minh", LANG_SON,
         "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Lạng Sơn"),
        # "thành phố" of a province that is a tỉnh is one of its cities, not the province
        ("Ủy ban nhân dân thành phố Lạng Sơn", LANG_SON,
         "Ủy ban nhân dân thành phố Lạng Sơn, tỉnh Lạng Sơn"),
    ],
)
def test_own_province_kept(name: str, ctx: Context, expected: str) -> None:
    assert canon(name, ctx) == expected


# ================================================================ districts, collectives, ministries


@pytest.mark.parametrize(
    "name,ctx,expected,level",
    [
        ("Ủy ban nhân dân các huyện, thành phố", KON_TUM,
         "Ủy ban nhân dân các huyện, thành phố tỉnh Kon Tum", "district"),
        ("Phòng Văn hóa và Thông tin các huyện, thành phố", LANG_SON,
         "Phòng Văn hóa và Thông tin các huyện, thành phố tỉnh Lạng Sơn", "district"),  # s01
        ("Đài Truyền thanh cấp xã", LANG_SON, "Đài Truyền thanh cấp xã tỉnh Lạng Sơn",
         "commune"),  # s02
        ("các sở, ban, ngành", KON_TUM, "Các sở, ban, ngành tỉnh Kon Tum", "province"),
        ("các sở, ngành có liên quan", KON_TUM, "Các sở, ngành tỉnh Kon Tum", "province"),
        ("Cục Hải quan các tỉnh, thành phố", BTC, "Cục Hải quan các tỉnh, thành phố",
         "province"),
        # a district names its province: from the list, or the document's for a
        # name found in several provinces
        ("Ủy ban nhân dân huyện Văn Lãng", NONE,
         "Ủy ban nhân dân huyện Văn Lãng, tỉnh Lạng Sơn", "district"),
        ("Ủy ban nhân dân huyện Châu Thành", Context(province="Tây Ninh"),
         "Ủy ban nhân dân huyện Châu Thành, tỉnh Tây Ninh", "district"),
        ("Công an huyện", VAN_LANG, "Công an huyện Văn Lãng, tỉnh Lạng Sơn", "district"),
        ("Phòng Tài chính - Kế hoạch", VAN_LANG,
         "Phòng Tài chính - Kế hoạch huyện Văn Lãng, tỉnh Lạng Sơn", "district"),
        # a Vụ is its ministry's; "Thanh tra Bộ" names the document's ministry
        ("Vụ Pháp chế", BTC, "Vụ Pháp chế - Bộ Tài chính", "central"),
        ("Thanh tra Bộ", BTC, "Thanh tra Bộ Tài chính", "central"),
        ("Văn phòng Bộ", BTP, "Văn phòng Bộ Tư pháp", "central"),
        # the issuer's own units
        ("Lãnh đạo Sở", LANG_SON, "Sở Thông tin và Truyền thông tỉnh Lạng Sơn", "province"),
        ("Văn phòng", LANG_SON, "Văn phòng Sở Thông tin và Truyền thông tỉnh Lạng Sơn",
         "province"),  # s01 Nơi nhận
    ],
)
def test_collectives_districts_ministries(name: str, ctx: Context, expected: str,
                                          level: str) -> None:
    a = link(name, ctx)
    assert a is not None
    assert (a.name, a.level) == (expected, level)


def test_plural_head_is_not_the_issuer() -> None:
    assert canon("các Bộ", BTP) == "Các Bộ"
    assert canon("Lãnh đạo Bộ", BTP) == "Bộ Tư pháp"


def test_vu_naming_its_own_body_gets_no_ministry() -> None:
    assert canon("Vụ Pháp chế - Ủy ban Dân tộc", BTP) == "Vụ Pháp chế - Ủy ban Dân tộc"


# ================================================================ one spelling, one id


@pytest.mark.parametrize(
    "printed",
    [
        "Sở Lao động - Thương binh và Xã hội",
        "Sở Lao động – Thương binh và Xã hội",
        "Sở Lao động, Thương binh và Xã hội",
        "Sở Lao động-Thương binh và xã hội",
        "Sở LĐ-TB&XH",
        "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
        "Giám đốc Sở Lao động - Thương binh và Xã hội",  # the head acts for the Sở
    ],
)
def test_one_spelling(printed: str) -> None:
    a = link(printed, KON_TUM)
    assert a is not None
    assert a.name == "Sở Lao động - Thương binh và Xã hội tỉnh Kon Tum"
    assert a.agency_id == agency_id("Sở Lao động - Thương binh và Xã hội tỉnh Kon Tum")


def test_same_body_same_id_across_documents() -> None:
    a = link("Sở Văn hóa, Thể thao và Du lịch", LANG_SON)
    b = link("Sở VH,TT&DL tỉnh Lạng Sơn", KON_TUM)  # printed with its province elsewhere
    c = link("Sở Văn hóa, Thể thao và Du lịch", KON_TUM)
    assert a is not None and b is not None and c is not None
    assert a.agency_id == b.agency_id
    assert a.agency_id != c.agency_id  # another province's department


def test_place_capitals_restored() -> None:
    assert canon("Ủy ban nhân dân tỉnh lai châu", NONE) == "Ủy ban nhân dân tỉnh Lai Châu"
    assert canon("UBND tỉnh Lang Son", NONE) == "Ủy ban nhân dân tỉnh Lạng Sơn"
    assert canon("Cục trợ giúp pháp lý", BTP) == "Cục Trợ giúp pháp lý"


def test_xa_hoi_is_not_a_commune() -> None:
    a = link("Sở Lao động - Thương binh và Xã Hội", LANG_SON)
    assert a is not None and a.level == "province"
    a = link("các tổ chức chính trị xã hội tỉnh", KON_TUM)
    assert a is not None
    assert (a.name, a.level) == ("Các tổ chức chính trị - xã hội tỉnh Kon Tum", "province")


# ================================================================ kinds


@pytest.mark.parametrize(
    "name,kind",
    [
        ("Ủy ban nhân dân tỉnh", "people_committee"),
        ("Sở Văn hóa, Thể thao và Du lịch", "department"),
        ("Công an tỉnh", "police"),
        ("Bộ Chỉ huy Bộ đội Biên phòng tỉnh", "army"),
        ("Hội Liên hiệp Phụ nữ tỉnh", "mass_org"),
        ("Báo Lạng Sơn", "press"),
        ("Các cơ quan báo chí", "press"),  # s01
        ("Ban Chỉ đạo 389/CP", "steering_committee"),  # s04
        ("Tòa án nhân dân tỉnh", "court"),
        ("Viện kiểm sát nhân dân tỉnh", "procuracy"),
        ("Bộ Công an", "ministry"),
        ("Cục Cảnh sát hình sự", "police"),
        ("Trường Trung học phổ thông Việt Bắc", "school"),
        ("các sở, ban, ngành", "collective"),
        ("Chi cục Hải quan cửa khẩu cảng Sài Gòn khu vực 1", "customs"),
    ],
)
def test_kind(name: str, kind: str) -> None:
    a = link(name, LANG_SON)
    assert a is not None and a.kind == kind


@pytest.mark.parametrize(
    "name,ctx",
    [
        ("Nguyễn Văn A", LANG_SON),  # a person
        ("Thứ trưởng Phạm Đức Long", CENTRAL),  # s03: a title before a person
        ("Thủ tướng Nguyễn Xuân Phúc", NONE),
        ("người khai hải quan", BTC),  # a role, not a body
        ("tuyên truyền trên báo chí", LANG_SON),  # not a name at all
        ("Báo cáo kết quả thực hiện", LANG_SON),  # a report, not a newspaper
        ("Các trường hợp khác", BTC),  # cases, not schools
        ("Ban hành kèm theo Quyết định này", BTP),
        ("Sở", NONE),  # a bare head with no issuer to name
        ("", LANG_SON),
    ],
)
def test_no_agency(name: str, ctx: Context) -> None:
    assert link(name, ctx) is None


# ================================================================ provinces


def test_province_unit() -> None:
    assert str(province_unit("Lạng Sơn")) == "tỉnh Lạng Sơn"
    assert str(province_unit("lang son")) == "tỉnh Lạng Sơn"  # no diacritics
    assert str(province_unit("Lạng Sơm")) == "tỉnh Lạng Sơn"  # a typo
    assert str(province_unit("TP. Hồ Chí Minh")) == "thành phố Hồ Chí Minh"
    assert str(province_unit("Thừa Thiên Huế")) == "tỉnh Thừa Thiên Huế"  # before 2025
    assert province_unit("Văn Lãng") is None  # a district, not a province
    assert province_unit("Ban Chỉ đạo") is None


# ================================================================ context of a document


def info(issuer: str | None = None, place: str | None = None,
         symbol: str | None = None) -> DocumentInfo:
    def f(v: str | None) -> Field | None:
        return Field(v, v, 0, len(v)) if v is not None else None
    return DocumentInfo(issuer=f(issuer), place=f(place), symbol=f(symbol))


@pytest.mark.parametrize(
    "issuer,place,symbol,province,ministry",
    [
        ("Ủy ban nhân dân tỉnh Lạng Sơn", "Lạng Sơn", "KH-UBND", "Lạng Sơn", None),
        ("Sở Thông tin và Truyền thông", "Lạng Sơn", "STTTT-TTBCXB", "Lạng Sơn", None),  # s01
        ("Sở Thông tin và Truyền thông tỉnh Lạng Sơn", None, None, "Lạng Sơn", None),
        ("Ban Chỉ đạo phòng, chống tội phạm tỉnh Lạng Sơn", None, None, "Lạng Sơn", None),
        ("Ủy ban nhân dân huyện Văn Lãng", "Văn Lãng", "QĐ-UBND", "Lạng Sơn", None),
        ("Sở Y tế", "Hà Nội", "KH-SYT", "Hà Nội", None),  # a local body of the capital
        (None, "Kon Tum", "QĐ-UBND", "Kon Tum", None),
        # central issuers dated Hà Nội are central: no province
        ("Cục Thông tin cơ sở", "Hà Nội", None, None, "Cục Thông tin cơ sở"),  # s03
        ("Bộ Tài chính", "Hà Nội", "BTC-TCHQ", None, "Bộ Tài chính"),
        ("Tổng cục Hải quan", "Hà Nội", "TCHQ-GSQL", None, "Tổng cục Hải quan"),
        ("Phủ Thủ tướng", "Hà Nội", "TTg", None, "Chính phủ"),
        (None, "Hà Nội", "QĐ-BTP", None, "Bộ Tư pháp"),  # the symbol names the ministry
        (None, "Hà Nội", None, None, None),  # the capital alone says nothing
        ("Ban Chỉ đạo 389/CP", None, None, None, None),  # s04
    ],
)
def test_context_of(issuer, place, symbol, province, ministry) -> None:
    ctx = context_of(info(issuer, place, symbol))
    assert (ctx.province, ctx.ministry) == (province, ministry)


def test_context_of_district_document() -> None:
    ctx = context_of(info("Ủy ban nhân dân huyện Văn Lãng", "Văn Lãng"))
    assert ctx.district == "huyện Văn Lãng"
    assert canon("Phòng Tư pháp", ctx) == "Phòng Tư pháp huyện Văn Lãng, tỉnh Lạng Sơn"


# ================================================================ through extract()

S01_HEAD = (
    "UBND TỈNH LẠNG SƠN\n\nSỞ THÔNG TIN VÀ TRUYỀN THÔNG\n\n"
    "Số: 526/STTTT-TTBCXB\n\nLạng Sơn, ngày 18 tháng 7 năm 2019\n\n"
    "Kính gửi:\n\n- Sở Văn hóa, Thể thao và Du lịch;\n\n- Công an tỉnh.\n\n"
)


def test_extract_links_obligations() -> None:
    x = extract(S01_HEAD + "Đề nghị Sở Văn hóa, Thể thao và Du lịch phối hợp với Công an tỉnh "
                           "tuyên truyền Ngày toàn dân phòng, chống mua bán người.\n")
    by_assignee = {o.assignee: o for o in x.obligations}
    sv = by_assignee.get("Sở Văn hóa, Thể thao và Du lịch")
    assert sv is not None
    assert sv.canonical == "Sở Văn hóa, Thể thao và Du lịch tỉnh Lạng Sơn"
    assert {a.agency_id for a in x.agencies} == {o.agency_id for o in x.obligations if o.agency_id}


def test_dev_corpus_contexts(dev_corpus) -> None:
    """The province or ministry each dev document gives its bodies."""
    expected = {
        "s01": ("Lạng Sơn", None), "s02": ("Lạng Sơn", None),
        "s03": (None, "Cục Thông tin cơ sở"), "s05": ("Lạng Sơn", None),
        "t01": (None, "Văn phòng Chính phủ"), "t02": (None, "Bộ Kế hoạch và Đầu tư"),
        "t03": (None, "Bộ Tài chính"), "t05": ("Kon Tum", None), "t06": ("Tuyên Quang", None),
        "t07": ("Tây Ninh", None), "t08": (None, "Bộ Tư pháp"),
        "t09": (None, "Bộ Tài nguyên và Môi trường"), "t10": (None, "Chính phủ"),
    }
    for stem, want in expected.items():
        x = extract((dev_corpus / f"{stem}.txt").read_text(encoding="utf-8"))
        ctx = context_of(x.document)
        assert (ctx.province, ctx.ministry) == want, stem
