#!/usr/bin/env python3
"""Render annotated texts as scans, to score OCR against the same gold as the texts.

For each ``NAME.txt`` with a ``NAME.gold.json`` in a corpus folder, writes
``NAME.tif`` (one page an A4 sheet, multi-page) and copies the gold beside it, into a
folder outside the repository (the corpus texts must never land in it):

- printed as a dispatch is: a serif font, the two-column header (issuer and number
  on the left; the national motto, place and date on the right), the body in full
  lines below;
- then scanned: 200 dpi by default, a slight skew, speckle, a little blur and JPEG
  artifacts (seeded, so the same scans come out every time).

Then ``congvan evaluate OUT`` scores the scans; compare with the texts' own figures:

    .venv/bin/python scripts/render_scans.py ../shared/corpus/dev /tmp/scans-dev
    .venv/bin/congvan evaluate /tmp/scans-dev
"""
from __future__ import annotations

import argparse
import io
import random
import re
import shutil
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

REPO = Path(__file__).resolve().parents[1]
SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
SERIF_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"
A4_MM = (210, 297)
MOTTO = re.compile(r"CỘNG HÒA XÃ HỘI|CỘNG HOÀ XÃ HỘI|Độc lập\s*[-–]\s*Tự do|^[-_–\s]+$", re.IGNORECASE)
PLACE_DATE = re.compile(r",\s*ngày\b", re.IGNORECASE)
HEADER_END = re.compile(r"^(V/v|Về việc|KẾ HOẠCH|QUYẾT ĐỊNH|CHỈ THỊ|THÔNG BÁO|CÔNG VĂN|BÁO CÁO|Kính gửi)",
                        re.IGNORECASE)


# markdown a converter left in a text (**bold**, *italic*, ### headings): print shows the
# formatting, not the marks
MARKUP = re.compile(r"\*{1,3}|^#{1,6}\s*|(?<!\w)_{1,2}|_{1,2}(?!\w)", re.MULTILINE)


def printed(text: str) -> str:
    return MARKUP.sub("", text)


def header_and_body(lines: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(left column, right column, body): the header is the lines above the first
    subject, title or ``Kính gửi``, within the first 12; the motto and the place and
    date go right, as a dispatch prints them."""
    end = next((i for i, ln in enumerate(lines[:12]) if HEADER_END.match(ln.strip())), 0)
    head = [ln.strip() for ln in lines[:end] if ln.strip()]
    left = [ln for ln in head if not (MOTTO.search(ln) or PLACE_DATE.search(ln))]
    right = [ln for ln in head if MOTTO.search(ln) or PLACE_DATE.search(ln)]
    if not right:  # no recognisable header: all of it in full lines
        return [], [], lines
    return left, right, lines[end:]


def wrap(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    out, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if font.getlength(trial) <= width or not line:
            line = trial
        else:
            out.append(line)
            line = word
    out.append(line)
    return out


def pages_of(text: str, dpi: int) -> list[Image.Image]:
    px = [round(mm / 25.4 * dpi) for mm in A4_MM]
    size = round(13 / 72 * dpi)  # 13 pt, as dispatches are printed
    font = ImageFont.truetype(SERIF, size)
    bold = ImageFont.truetype(SERIF_BOLD, size)
    margin_l, margin_r, margin_t = round(px[0] * 0.14), round(px[0] * 0.08), round(px[1] * 0.07)
    step = round(size * 1.45)
    left, right, body = header_and_body(text.split("\n"))
    pages: list[Image.Image] = []
    page = Image.new("L", px, 255)
    draw = ImageDraw.Draw(page)
    y = margin_t
    if right:
        mid = px[0] // 2
        for i, ln in enumerate(left):
            x = margin_l + (mid - margin_l - font.getlength(ln)) / 2
            draw.text((x, margin_t + i * step), ln, font=bold, fill=0)
        for i, ln in enumerate(right):
            draw.text((mid + (px[0] - margin_r - mid - font.getlength(ln)) / 2, margin_t + i * step), ln,
                      font=bold if MOTTO.search(ln) else font, fill=0)
        y = margin_t + (max(len(left), len(right)) + 1) * step
    width = px[0] - margin_l - margin_r
    for paragraph in body:
        for ln in wrap(paragraph, font, width) if paragraph.strip() else [""]:
            if y + step > px[1] - margin_t:
                pages.append(page)
                page = Image.new("L", px, 255)
                draw = ImageDraw.Draw(page)
                y = margin_t
            draw.text((margin_l, y), ln, font=font, fill=0)
            y += step
    pages.append(page)
    return pages


def scanned(page: Image.Image, rng: random.Random) -> Image.Image:
    """Skew, speckle, blur and JPEG artifacts of a desk scanner."""
    out = page.rotate(rng.uniform(-0.8, 0.8), resample=Image.Resampling.BICUBIC, fillcolor=255, expand=False)
    draw = ImageDraw.Draw(out)
    for _ in range(out.width * out.height // 4000):
        x, y = rng.randrange(out.width), rng.randrange(out.height)
        draw.point((x, y), fill=rng.randrange(0, 160))
    out = out.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 0.8)))
    buffer = io.BytesIO()
    out.save(buffer, "JPEG", quality=rng.randrange(55, 75))
    return Image.open(io.BytesIO(buffer.getvalue())).convert("L")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="a folder of NAME.txt and NAME.gold.json")
    parser.add_argument("out", type=Path, help="where the scans go (outside the repository)")
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    out = args.out.resolve()
    if out == REPO or REPO in out.parents:
        sys.exit(f"render_scans: {out} is inside the repository; the scans quote the corpus and must stay out")
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    n = 0
    for txt in sorted(args.corpus.glob("*.txt")):
        gold = txt.with_name(txt.stem + ".gold.json")
        if not gold.is_file():
            continue
        pages = [scanned(p, rng) for p in pages_of(printed(txt.read_text(encoding="utf-8")), args.dpi)]
        pages[0].save(out / f"{txt.stem}.tif", save_all=True, append_images=pages[1:], compression="tiff_lzw",
                      dpi=(args.dpi, args.dpi))
        shutil.copy(gold, out / gold.name)
        n += 1
    print(f"{n} texts rendered as scans into {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
