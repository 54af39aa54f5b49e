"""An output folder for the query and export tests: data/raw (s01-s05) plus two plans.

s01 cites "Kế hoạch số 124/KH-UBND ngày 16/7/2019" of the provincial People's
Committee; the first plan below is that document, so the citation resolves. The
second has the same number a year later (numbers restart every year), so it must
not be taken for the one s01 cites.
"""
from __future__ import annotations

from pathlib import Path

from congvan.cli import main

from conftest import RAW

PLAN_2019 = """\
ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN
Số: 124/KH-UBND
Lạng Sơn, ngày 16 tháng 7 năm 2019

KẾ HOẠCH
Tổ chức các hoạt động hưởng ứng Ngày toàn dân phòng, chống mua bán người năm 2019

Căn cứ Kế hoạch số 119-KH/TU ngày 3/4/2019 của Tỉnh ủy,

1. Công an tỉnh chủ trì, phối hợp với Sở Tư pháp tổ chức tuyên truyền phòng, chống
mua bán người cho học sinh, sinh viên, hoàn thành trước ngày 30/7/2019.
"""

PLAN_2020 = PLAN_2019.replace("năm 2019", "năm 2020").replace("/2019", "/2020")


def build_archive(tmp: Path) -> Path:
    """Run ``congvan run`` on data/raw and the two plans; the output folder."""
    plans = tmp / "plans"
    plans.mkdir()
    (plans / "ke_hoach_124_2019.txt").write_text(PLAN_2019, encoding="utf-8")
    (plans / "ke_hoach_124_2020.txt").write_text(PLAN_2020, encoding="utf-8")
    out = tmp / "processed"
    assert main(["run", str(RAW), str(plans), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    return out
