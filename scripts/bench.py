#!/usr/bin/env python3
"""Archive-scale benchmark behind ``make bench``: prints numbers, it is not a test.

1. Builds an archive of N documents (mostly .txt, a few .html, .docx and .zip
   bundles) from the dev texts with seeded perturbations, in a temporary folder
   outside the repository (the dev texts must never land in it).
2. Runs ``congvan run`` on it once per worker count, sampling the RSS of the
   whole process tree, and prints documents/s, MB/s and peak RSS.
3. Times each stage of ``extract`` in this process over a sample of the archive.
4. Runs underthesea's ``word_tokenize`` over the same sample and prints the
   pipeline's throughput as a multiple of it (the target is 10x).
5. Optionally (``--rss-scan``) runs archives of growing size to show memory stays flat.
6. The realistic mix (``--mix-short``/``--mix-long``, on by default): the sizes users
   have, from the real texts of ``../shared/corpus/dev`` and ``dev2`` (read at run time,
   written only to the temporary folder): short dispatches and news posts (up to
   3.5 KB) and long plans and decisions (10 KB and more), each class its own archive,
   run with each worker count and compared with ``word_tokenize`` on its own texts.
   Targets: short >= 10x, long >= 20x on one worker; two workers >= 1.8x one.

MB is 10^6 bytes of UTF-8 document text throughout (what the reader decodes),
so pipeline and word_tokenize figures share one unit.

    .venv/bin/python scripts/bench.py --docs 3000 --json bench.json
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import platform
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "dev"
MB = 1e6
TARGET_RATIO = 10.0
MIX_CORPORA = [REPO.parent / "shared" / "corpus" / name for name in ("dev", "dev2")]
# size class -> (smallest, largest UTF-8 bytes of a source text, target x word_tokenize)
SIZE_CLASSES = {"short": (0, 3_500, 10.0), "long": (10_000, 10**9, 20.0)}
TARGET_SCALING = 1.8  # two workers against one
SUBDIR_SIZE = 1000      # files per sub-folder, so no folder holds 20,000 entries
ZIP_BLOCK = 50          # documents per .zip bundle
ZIP_EVERY = 50          # one block in ZIP_EVERY goes into a bundle (2% of documents)
RSS_INTERVAL = 0.2      # seconds between RSS samples of the process tree

# ----------------------------------------------------------------- perturbations
# Generic names an archive of dispatches from many provinces would hold.
PROVINCES = [
    "Lạng Sơn", "Kon Tum", "Tuyên Quang", "Tây Ninh", "Hà Giang", "Cao Bằng", "Lào Cai",
    "Yên Bái", "Thái Nguyên", "Bắc Giang", "Quảng Ninh", "Nghệ An", "Hà Tĩnh", "Quảng Bình",
    "Quảng Trị", "Quảng Nam", "Bình Định", "Gia Lai", "Đắk Lắk", "Lâm Đồng", "Bình Phước",
    "Đồng Nai", "Long An", "An Giang", "Kiên Giang", "Cà Mau", "Sóc Trăng", "Bến Tre",
]
DEPARTMENTS = [
    "Sở Thông tin và Truyền thông", "Sở Tư pháp", "Sở Y tế", "Sở Giáo dục và Đào tạo",
    "Sở Nội vụ", "Sở Tài chính", "Sở Công Thương", "Sở Xây dựng", "Sở Giao thông vận tải",
    "Sở Tài nguyên và Môi trường", "Sở Lao động - Thương binh và Xã hội",
    "Sở Văn hóa, Thể thao và Du lịch", "Sở Kế hoạch và Đầu tư",
    "Sở Nông nghiệp và Phát triển nông thôn", "Sở Khoa học và Công nghệ",
]
MINISTRIES = [
    "Bộ Tài chính", "Bộ Công Thương", "Bộ Tư pháp", "Bộ Y tế", "Bộ Nội vụ",
    "Bộ Kế hoạch và Đầu tư", "Bộ Tài nguyên và Môi trường", "Bộ Giáo dục và Đào tạo",
    "Bộ Thông tin và Truyền thông", "Bộ Xây dựng",
]
CLUTTER = [
    "Skip to main content", "Bỏ qua nội dung chính", "Trang chủ > Văn bản > Văn bản chỉ đạo",
    "In bài viết | Gửi bài viết | Chia sẻ", "Xem với cỡ chữ A A A", "Đăng ký nhận tin",
    "Lượt xem: {n}", "Cập nhật lúc {h}:{m:02d} {d}/{mo}/{y}", "Tags: văn bản, chỉ đạo, điều hành",
    "Tải về văn bản (PDF)", "Ý kiến bạn đọc", "Bản quyền thuộc Cổng thông tin điện tử tỉnh",
    "Đăng nhập | Đăng ký", "Chia sẻ Facebook Zalo", "(Ảnh minh họa)", "Tin liên quan",
]
_TONES = "\u0300\u0301\u0303\u0309\u0323"
_OPEN_PAIRS = [("o", "a"), ("o", "e"), ("u", "y")]


def _tone_pairs() -> dict[str, str]:
    """New-style ``hòa`` -> old-style ``hoà`` for the open diphthongs oa, oe, uy."""
    pairs = {}
    for first, second in _OPEN_PAIRS:
        for tone in _TONES:
            for f, s in ((first, second), (first.upper(), second), (first.upper(), second.upper())):
                new = unicodedata.normalize("NFC", f + tone) + s
                old = f + unicodedata.normalize("NFC", s + tone)
                pairs[new] = old
    return pairs


NEW_TO_OLD = _tone_pairs()
OLD_TO_NEW = {old: new for new, old in NEW_TO_OLD.items()}
# Only at a word's end (a closed syllable keeps one placement), never after q (quý).
_NEW_TONE_RE = re.compile(r"(?<![qQ])(" + "|".join(NEW_TO_OLD) + r")(?!\w)")
_OLD_TONE_RE = re.compile(r"(?<![qQ])(" + "|".join(OLD_TO_NEW) + r")(?!\w)")

_OWN_NUMBER_RE = re.compile(r"Số\s*:\s*(\d*)\s*/\s*([^\s,;]*)")
_YEAR_RE = re.compile(r"(?:(?<=năm )|(?<=/)|(?<=-))(19[89]\d|20[0-2]\d)(?!\d)")
_ISSUE_DAY_RE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})")
_INVISIBLE = ["\u200b", "\u200c", "\u00ad", "\ufeff"]


def _alternation(names: list[str]) -> re.Pattern[str]:
    names = sorted(set(names), key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in names))


_PROVINCE_RE = _alternation(PROVINCES + [p.upper() for p in PROVINCES])
_PROVINCE_OF = {p.upper(): p for p in PROVINCES}
_BODY_RE = _alternation(DEPARTMENTS + MINISTRIES)


def renumber(text: str, rng: random.Random) -> str:
    """A new own number everywhere the own number and symbol are printed."""
    m = _OWN_NUMBER_RE.search(text)
    if m is None:
        return text
    new = str(rng.randint(1, 9999))
    old, symbol = m.group(1), m.group(2)
    if not old or not symbol:  # nothing to find it by elsewhere: only the Số line
        return text[:m.start(1)] + new + text[m.end(1):]
    return re.sub(rf"(?<!\d){re.escape(old)}(\s*/\s*){re.escape(symbol)}",
                  lambda x: new + x.group(1) + symbol, text)


def redate(text: str, rng: random.Random) -> str:
    """Shift every year by one amount and give the first printed date a new day and month."""
    shift = rng.randint(-6, 3)
    text = _YEAR_RE.sub(lambda m: str(int(m.group(1)) + shift), text)
    day, month = rng.randint(1, 28), rng.randint(1, 12)
    return _ISSUE_DAY_RE.sub(lambda m: f"ngày {day:0{len(m.group(1))}d} tháng {month}", text, count=1)


def swap_names(text: str, rng: random.Random) -> str:
    """Each province and department/ministry printed becomes another, the same one throughout."""
    chosen: dict[str, str] = {}

    def province(m: re.Match[str]) -> str:
        new = chosen.setdefault(_PROVINCE_OF[m.group(0).upper()], rng.choice(PROVINCES))
        return new.upper() if m.group(0).isupper() else new

    def body(m: re.Match[str]) -> str:
        pool = DEPARTMENTS if m.group(0).startswith("Sở") else MINISTRIES
        return chosen.setdefault(m.group(0), rng.choice(pool))

    return _BODY_RE.sub(body, _PROVINCE_RE.sub(province, text))


def retone(text: str, rng: random.Random) -> str:
    """Move tone marks to the old (hoà) or the new (hòa) placement, as offices differ."""
    if rng.random() < 0.5:
        return _NEW_TONE_RE.sub(lambda m: NEW_TO_OLD[m.group(1)], text)
    return _OLD_TONE_RE.sub(lambda m: OLD_TO_NEW[m.group(1)], text)


def invisible(text: str, rng: random.Random) -> str:
    """NBSP for some spaces, zero-width characters and soft hyphens inside some words."""
    rate = rng.uniform(0.01, 0.05)
    text = re.sub(" ", lambda m: "\u00a0" if rng.random() < rate else " ", text)
    return re.sub(r"(?<=\w)(?=\w)", lambda m: rng.choice(_INVISIBLE) if rng.random() < rate / 20 else "",
                  text)


def clutter_line(rng: random.Random) -> str:
    return rng.choice(CLUTTER).format(n=rng.randint(10, 99999), h=rng.randint(0, 23),
                                      m=rng.randint(0, 59), d=rng.randint(1, 28),
                                      mo=rng.randint(1, 12), y=rng.randint(2010, 2024))


def reshape(lines: list[str], rng: random.Random, other: list[str]) -> list[str]:
    """Shuffle, drop and duplicate body paragraphs, append an annex, truncate.

    The first and last few lines (header, signature block) keep their place.
    """
    head_n = min(8, len(lines) // 4)
    tail_n = min(10, len(lines) // 4)
    head, body, tail = lines[:head_n], lines[head_n:len(lines) - tail_n], lines[len(lines) - tail_n:]
    if body and rng.random() < 0.3:
        i = rng.randrange(len(body))
        window = body[i:i + rng.randint(2, 6)]
        rng.shuffle(window)
        body[i:i + len(window)] = window
    if body and rng.random() < 0.3:
        body = [ln for ln in body if rng.random() >= 0.08]
    if body and rng.random() < 0.2:
        i = rng.randrange(len(body))
        body[i:i] = body[i:i + rng.randint(3, 15)]
    out = head + body + tail
    if rng.random() < 0.1 and other:
        i = rng.randrange(len(other))
        out += ["", "PHỤ LỤC", ""] + other[i:i + rng.randint(10, 80)]
    if rng.random() < 0.1:
        out = out[:max(3, int(len(out) * rng.uniform(0.3, 0.9)))]
    if rng.random() < 0.3:
        for _ in range(rng.randint(1, 4)):
            out.insert(rng.choice([0, len(out), rng.randrange(len(out) + 1)]), clutter_line(rng))
    return out


def make_document(i: int, seed: int, sources: list[str]) -> str:
    """Document ``i`` of the archive: a dev text with seeded perturbations."""
    rng = random.Random(f"{seed}:{i}")
    text = rng.choice(sources)
    if rng.random() < 0.9:
        text = renumber(text, rng)
    if rng.random() < 0.8:
        text = redate(text, rng)
    if rng.random() < 0.7:
        text = swap_names(text, rng)
    if rng.random() < 0.4:
        text = retone(text, rng)
    lines = reshape(text.split("\n"), rng, rng.choice(sources).split("\n"))
    text = "\n".join(lines)
    if rng.random() < 0.2:
        text = invisible(text, rng)
    if rng.random() < 0.05:
        text = text.replace("\n", "\r\n")
    return text


# ----------------------------------------------------------------------- archive
@dataclass
class Archive:
    root: Path
    n_docs: int = 0
    n_files: int = 0
    formats: dict[str, int] = field(default_factory=dict)
    text_bytes: int = 0
    disk_bytes: int = 0
    distinct: int = 0
    seconds: float = 0.0
    sample: list[tuple[str, bytes, str]] = field(default_factory=list)  # name, file bytes, text


def _encode(text: str, rng: random.Random) -> bytes:
    """Mostly UTF-8; some files with a BOM or in UTF-16, as Windows tools save them."""
    r = rng.random()
    if r < 0.03:
        return text.encode("utf-8-sig")
    if r < 0.04:
        return text.encode("utf-16")
    return text.encode("utf-8")


def _html(text: str, rng: random.Random) -> bytes:
    paras = "\n".join(f"<p>{escape(ln)}</p>" for ln in text.split("\n") if ln.strip())
    nav = f"<nav><a href='/'>Trang chủ</a> | {escape(clutter_line(rng))}</nav>"
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Văn bản</title></head>"
            f"<body>{nav}<article>{paras}</article><footer>{escape(clutter_line(rng))}"
            f"</footer></body></html>").encode("utf-8")


def _docx(text: str) -> bytes:
    from docx import Document
    doc = Document()
    for line in text.split("\n"):
        doc.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _file_of(i: int, text: str, rng: random.Random) -> tuple[str, bytes]:
    r = rng.random()
    if r < 0.005:
        return f"doc_{i:06d}.docx", _docx(text)
    if r < 0.015:
        return f"doc_{i:06d}.html", _html(text, rng)
    return f"doc_{i:06d}.txt", _encode(text, rng)


def build_archive(root: Path, n: int, seed: int, sources: list[str], sample_n: int) -> Archive:
    """Write ``n`` documents under ``root``; keep a seeded sample of them in memory."""
    started = time.perf_counter()
    root.mkdir(parents=True)
    arch = Archive(root)
    sample_ids = set(random.Random(f"{seed}:sample").sample(range(n), min(sample_n, n)))
    seen: set[bytes] = set()
    bundle: list[tuple[str, bytes]] = []
    for i in range(n):
        text = make_document(i, seed, sources)
        digest = hashlib.sha1(text.encode("utf-8")).digest()
        if digest in seen:  # a short text can come out the same twice; archives don't repeat
            text += f"\nLượt xem: {i + 1}\n"
            digest = hashlib.sha1(text.encode("utf-8")).digest()
        seen.add(digest)
        rng = random.Random(f"{seed}:file:{i}")
        block = i // ZIP_BLOCK
        if block % ZIP_EVERY == 1:
            name, data = f"doc_{i:06d}.txt", text.encode("utf-8")
            bundle.append((name, data))
            fmt = "txt in zip"
        else:
            name, data = _file_of(i, text, rng)
            folder = root / f"part_{i // SUBDIR_SIZE:03d}"
            folder.mkdir(exist_ok=True)
            (folder / name).write_bytes(data)
            arch.disk_bytes += len(data)
            arch.n_files += 1
            fmt = name.rsplit(".", 1)[1]
        if bundle and (i + 1 == n or (i + 1) // ZIP_BLOCK != block):
            path = root / f"bundle_{block:05d}.zip"
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
                for member, payload in bundle:
                    zf.writestr(member, payload)
            arch.disk_bytes += path.stat().st_size
            arch.n_files += 1
            bundle = []
        arch.formats[fmt] = arch.formats.get(fmt, 0) + 1
        arch.text_bytes += len(text.encode("utf-8"))
        arch.n_docs += 1
        if i in sample_ids:
            arch.sample.append((name, data, text))
    arch.distinct = len(seen)
    arch.seconds = time.perf_counter() - started
    return arch


# ---------------------------------------------------------------------- pipeline
def congvan_exe() -> str:
    local = Path(sys.executable).parent / "congvan"
    if local.exists():
        return str(local)
    found = shutil.which("congvan")
    if found is None:
        sys.exit("bench: congvan is not installed (run `make bench`, which installs it)")
    return found


def run_flags(exe: str) -> set[str]:
    """The optional flags this ``congvan run`` knows (the command line is still growing)."""
    help_text = subprocess.run([exe, "run", "--help"], capture_output=True, text=True).stdout
    return {f for f in ("--workers", "--quiet", "--summary-json") if f in help_text}


def _tree_memory(proc: psutil.Process) -> tuple[int, int, int]:
    """Summed RSS and PSS of a process and all its descendants, and how many there are.

    RSS counts the pages forked workers share once per process; PSS splits them.
    """
    rss = pss = n = 0
    try:
        procs = [proc] + proc.children(recursive=True)
    except psutil.Error:
        return 0, 0, 0
    for p in procs:
        try:
            mem = p.memory_full_info()
        except psutil.Error:
            continue
        rss += mem.rss
        pss += getattr(mem, "pss", mem.rss)
        n += 1
    return rss, pss, n


def _maxrss_bytes(kb_or_bytes: int) -> int:
    return kb_or_bytes if sys.platform == "darwin" else kb_or_bytes * 1024


def run_pipeline(exe: str, flags: set[str], inputs: Path, out: Path, workers: int,
                 text_bytes: int, n_docs: int) -> dict:
    """One ``congvan run``: wall time, throughput and peak RSS of its process tree."""
    shutil.rmtree(out, ignore_errors=True)
    summary = out.parent / f"{out.name}.summary.json"
    cmd = [exe, "run", str(inputs), "--out", str(out)]
    if "--workers" in flags:
        cmd += ["--workers", str(workers)]
    if "--quiet" in flags:
        cmd += ["--quiet"]
    if "--summary-json" in flags:
        cmd += ["--summary-json", str(summary)]
    log = out.parent / f"{out.name}.log"
    started = time.perf_counter()
    with open(log, "wb") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT)
        ps = psutil.Process(proc.pid)
        peak = peak_pss = peak_n = 0
        while True:
            # wait4 reaps the run and reports its own ru_maxrss (largest single process)
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid == proc.pid:
                break
            rss, pss, n = _tree_memory(ps)
            peak, peak_pss, peak_n = max(peak, rss), max(peak_pss, pss), max(peak_n, n)
            time.sleep(RSS_INTERVAL)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    result = {
        "workers": workers, "cmd": " ".join(cmd), "exit_code": proc.returncode,
        "wall_s": wall, "docs_per_s": n_docs / wall, "mb_per_s": text_bytes / MB / wall,
        "peak_rss_tree_mb": peak / MB, "peak_pss_tree_mb": peak_pss / MB,
        "max_processes": peak_n,
        "maxrss_largest_process_mb": _maxrss_bytes(usage.ru_maxrss) / MB,
        "workers_flag": "--workers" in flags,
    }
    if summary.exists():
        result["summary"] = json.loads(summary.read_text(encoding="utf-8"))
    done = result.get("summary", {})
    result["docs_done"], result["errors"] = done.get("documents"), done.get("errors")
    if proc.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
        print(f"  congvan run exited {proc.returncode}; last output:\n{tail}", file=sys.stderr)
    return result


# ------------------------------------------------------------ in-process figures
STAGES = ["read", "clean", "segment", "find", "resolve", "schedule", "target", "assign", "link"]


def stage_times(sample: list[tuple[str, bytes, str]]) -> dict:
    """Seconds per stage of read + extract over the sample, in this process."""
    from congvan.extract import extract
    from congvan.read import read_bytes

    # One-off loads stay outside the clock, as a long run pays them once: the
    # knowledge files, and underthesea's tagger that assign uses on run-on lists.
    started = time.perf_counter()
    extract(sample[0][2])
    from congvan.tag import pos_tag
    pos_tag("Sở Y tế chủ trì, phối hợp với các đơn vị liên quan")
    warm_up = time.perf_counter() - started
    timings: dict[str, float] = {}
    started = time.perf_counter()
    for name, data, _ in sample:
        t0 = time.perf_counter()
        doc = read_bytes(name, data)
        timings["read"] = timings.get("read", 0.0) + time.perf_counter() - t0
        extract(doc.text, timings=timings)
    wall = time.perf_counter() - started
    text_bytes = sum(len(text.encode("utf-8")) for _, _, text in sample)
    return {"docs": len(sample), "text_mb": text_bytes / MB, "wall_s": wall,
            "mb_per_s": text_bytes / MB / wall, "docs_per_s": len(sample) / wall,
            "warm_up_s": warm_up, "stages_s": {s: timings.get(s, 0.0) for s in STAGES}}


def word_tokenize_rate(sample: list[tuple[str, bytes, str]]) -> dict:
    """underthesea ``word_tokenize`` over the whole text of every sampled document."""
    from underthesea import word_tokenize

    word_tokenize("Sở Thông tin và Truyền thông đề nghị các cơ quan")  # loads its model
    started = time.perf_counter()
    for _, _, text in sample:
        word_tokenize(text)
    wall = time.perf_counter() - started
    text_bytes = sum(len(text.encode("utf-8")) for _, _, text in sample)
    return {"docs": len(sample), "text_mb": text_bytes / MB, "wall_s": wall,
            "mb_per_s": text_bytes / MB / wall, "docs_per_s": len(sample) / wall}


# ------------------------------------------------------------------ realistic mix
def mix_sources(corpora: list[Path]) -> dict[str, list[str]]:
    """The real texts of the corpora, by size class."""
    texts = [p.read_text(encoding="utf-8") for c in corpora for p in sorted(c.glob("*.txt"))]
    return {name: [t for t in texts if lo <= len(t.encode("utf-8")) <= hi]
            for name, (lo, hi, _) in SIZE_CLASSES.items()}


def build_class_archive(root: Path, n: int, seed: int, texts: list[str], sample_n: int) -> Archive:
    """``n`` plain UTF-8 .txt documents made from ``texts`` (perturbed as in the main
    archive: numbers, dates, names, tones and clutter lines differ; no two alike)."""
    started = time.perf_counter()
    root.mkdir(parents=True)
    arch = Archive(root)
    seen: set[bytes] = set()
    for i in range(n):
        text = make_document(i, seed, texts)
        data = text.encode("utf-8")
        if hashlib.sha1(data).digest() in seen:
            text += f"\nLượt xem: {i + 1}\n"
            data = text.encode("utf-8")
        seen.add(hashlib.sha1(data).digest())
        folder = root / f"part_{i // SUBDIR_SIZE:03d}"
        folder.mkdir(exist_ok=True)
        (folder / f"doc_{i:06d}.txt").write_bytes(data)
        arch.n_docs += 1
        arch.n_files += 1
        arch.text_bytes += len(data)
        arch.disk_bytes += len(data)
        if i < sample_n:
            arch.sample.append((f"doc_{i:06d}.txt", data, text))
    arch.formats = {"txt": n}
    arch.distinct = len(seen)
    arch.seconds = time.perf_counter() - started
    return arch


def run_mix(args: argparse.Namespace, exe: str, flags: set[str], work: Path, workers: list[int]) -> list[dict]:
    sources = mix_sources(args.mix_corpora)
    out = []
    for name, n in (("short", args.mix_short), ("long", args.mix_long)):
        texts = sources[name]
        if not n or not texts:
            continue
        lo, hi, target = SIZE_CLASSES[name]
        print(f"realistic mix, {name}: {n} documents from {len(texts)} real texts ...", flush=True)
        sample_n = max(20, n // 10)
        arch = build_class_archive(work / f"mix_{name}", n, args.seed, texts, sample_n)
        runs = [run_pipeline(exe, flags, arch.root, work / f"mix_{name}_w{w}", w, arch.text_bytes, arch.n_docs)
                for w in workers]
        wt = word_tokenize_rate(arch.sample)
        core = stage_times(arch.sample)
        out.append({"class": name, "bytes": [lo, hi], "target": target, "docs": arch.n_docs,
                    "text_mb": arch.text_bytes / MB, "mean_kb": arch.text_bytes / arch.n_docs / 1e3,
                    "texts": len(texts), "runs": runs, "word_tokenize": wt,
                    "extract_mb_per_s": core["mb_per_s"], "extract_ms_per_doc": 1000 * core["wall_s"] / core["docs"]})
        for w in workers:
            shutil.rmtree(work / f"mix_{name}_w{w}", ignore_errors=True)
        shutil.rmtree(arch.root, ignore_errors=True)
    return out


def print_mix(mix: list[dict]) -> None:
    print("\nrealistic mix (real texts by size; congvan run over each class's own archive):")
    print("  class  docs  mean KB  workers  wall s  docs/s    MB/s  x word_tokenize  target")
    for c in mix:
        wt = c["word_tokenize"]["mb_per_s"]
        one = next((r for r in c["runs"] if r["workers"] == 1), None)
        for r in c["runs"]:
            ratio = r["mb_per_s"] / wt
            if r["workers"] == 1:
                verdict = f">= {c['target']:.0f}x {'met' if ratio >= c['target'] else 'NOT met'}"
            elif one is not None:
                scale = r["mb_per_s"] / one["mb_per_s"]
                verdict = f"{scale:.2f}x one worker, >= {TARGET_SCALING}x {'met' if scale >= TARGET_SCALING else 'NOT met'}"
            else:
                verdict = ""
            print(f"  {c['class']:<5} {c['docs']:>5} {c['mean_kb']:>8.1f} {r['workers']:>8} {r['wall_s']:>7.1f} "
                  f"{r['docs_per_s']:>7.1f} {r['mb_per_s']:>7.3f} {ratio:>16.2f}  {verdict}")
        print(f"  {'':<5} word_tokenize {wt:.3f} MB/s on {c['word_tokenize']['docs']} of its documents; "
              f"extract alone {c['extract_mb_per_s']:.3f} MB/s ({c['extract_ms_per_doc']:.2f} ms a document)")


# ----------------------------------------------------------------------- machine
def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for mod in ("underthesea", "regex", "pyarrow"):
        try:
            versions[mod] = __import__(mod).__version__
        except Exception:
            versions[mod] = "?"
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip() or "?"
    edited = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "pipeline", "models"],
                            capture_output=True, text=True).stdout.strip()
    if edited:  # the figures are of uncommitted code
        commit += "+edits"
    return {
        "cpu": cpu, "logical_cpus": os.cpu_count(),
        "physical_cores": psutil.cpu_count(logical=False),
        "ram_gb": psutil.virtual_memory().total / 2**30,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(), "versions": versions, "commit": commit,
    }


# ------------------------------------------------------------------------ output
def _fmt_run(r: dict) -> str:
    done = "?" if r["docs_done"] is None else f"{r['docs_done']}/{r['errors']}"
    return (f"  {r['workers']:>7}  {r['wall_s']:>7.1f}  {r['docs_per_s']:>6.1f}  "
            f"{r['mb_per_s']:>6.3f}  {r['peak_rss_tree_mb']:>8.0f}  {r['peak_pss_tree_mb']:>8.0f}  "
            f"{r['maxrss_largest_process_mb']:>9.0f}  {r['max_processes']:>5}  {done:>11}")


RUN_HEADER = ("  workers   wall s  docs/s    MB/s  peak RSS  peak PSS  maxrss of  procs   docs read/\n"
              "                                   tree MB   tree MB  1 proc MB            errors")


def print_report(res: dict) -> None:
    m = res["machine"]
    print(f"\nmachine: {m['cpu']}, {m['logical_cpus']} logical CPUs "
          f"({m['physical_cores']} cores), {m['ram_gb']:.1f} GiB RAM, {m['os']}, "
          f"Python {m['python']}, underthesea {m['versions']['underthesea']}, commit {m['commit']}")
    a = res["archive"]
    fmts = ", ".join(f"{k} {v}" for k, v in sorted(a["formats"].items()))
    print(f"archive: {a['docs']} documents ({a['distinct']} distinct texts) in {a['files']} files "
          f"[{fmts}], {a['text_mb']:.1f} MB of text, {a['disk_mb']:.1f} MB on disk, "
          f"built in {a['build_s']:.1f} s")
    print(f"\npipeline (congvan run, whole archive):\n{RUN_HEADER}")
    for r in res["runs"]:
        print(_fmt_run(r))
    if res["notes"]:
        print("  note: " + "\n  note: ".join(res["notes"]))

    st = res["stages"]
    total = sum(st["stages_s"].values())
    print(f"\ntime per stage (in-process, {st['docs']} sampled documents, {st['text_mb']:.1f} MB):")
    print("  stage        seconds   ms/doc   share")
    for name, sec in sorted(st["stages_s"].items(), key=lambda kv: -kv[1]):
        print(f"  {name:<10} {sec:>9.2f} {1000 * sec / st['docs']:>8.2f} {sec / total:>7.1%}")
    print(f"  {'total':<10} {total:>9.2f} {1000 * total / st['docs']:>8.2f}   "
          f"({st['mb_per_s']:.3f} MB/s, {st['docs_per_s']:.1f} docs/s on one core)")
    print(f"  (one-off loads before the clock: {st['warm_up_s']:.1f} s)")

    wt = res["word_tokenize"]
    print(f"\nunderthesea word_tokenize over the same {wt['docs']} documents: "
          f"{wt['wall_s']:.1f} s, {wt['mb_per_s']:.3f} MB/s, {wt['docs_per_s']:.1f} docs/s")
    print(f"throughput ratio against word_tokenize (target >= {TARGET_RATIO:.0f}x):")
    for label, ratio in res["ratios"].items():
        verdict = "met" if ratio >= TARGET_RATIO else "NOT met"
        print(f"  {label:<36} {ratio:>6.2f}x  {verdict}")

    if res.get("mix"):
        print_mix(res["mix"])

    if res.get("rss_scan"):
        print("\nmemory as the archive grows (1 worker):")
        print("     docs   text MB   wall s   docs/s  peak RSS tree MB  peak PSS tree MB")
        for r in res["rss_scan"]:
            print(f"  {r['docs']:>7}  {r['text_mb']:>8.1f} {r['wall_s']:>8.1f} {r['docs_per_s']:>8.1f} "
                  f"{r['peak_rss_tree_mb']:>17.0f} {r['peak_pss_tree_mb']:>17.0f}")


# -------------------------------------------------------------------------- main
def _int_list(text: str) -> list[int]:
    try:
        values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers, got {text!r}")
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"expected positive integers, got {text!r}")
    return values


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--docs", type=int, default=20_000, help="documents in the archive (20000)")
    p.add_argument("--workers", type=_int_list, default=[1, 2],
                   help="comma-separated worker counts to run (1,2)")
    p.add_argument("--sample", type=int, default=500,
                   help="documents timed per stage and with word_tokenize (500)")
    p.add_argument("--rss-scan", type=_int_list, metavar="N,N,...",
                   help="also run 1 worker on archives of these sizes, e.g. 1000,5000,20000")
    p.add_argument("--seed", type=int, default=1, help="seed of the perturbations (1)")
    p.add_argument("--mix-short", type=int, default=2000, metavar="N",
                   help="documents of the realistic mix's short class (2000; 0: none)")
    p.add_argument("--mix-long", type=int, default=150, metavar="N",
                   help="documents of the realistic mix's long class (150; 0: none)")
    p.add_argument("--mix-corpora", type=Path, nargs="+", default=MIX_CORPORA, metavar="DIR",
                   help="folders of real texts for the mix (../shared/corpus/dev and dev2)")
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                   help="folder of the source texts (../shared/corpus/dev)")
    p.add_argument("--out-dir", type=Path,
                   help="work folder for the archive and the outputs (default: a new temporary "
                        "folder); never inside the repository")
    p.add_argument("--keep", action="store_true",
                   help="keep the archive and the outputs afterwards (default: remove them)")
    p.add_argument("--json", type=Path, metavar="FILE", help="also write the figures here")
    args = p.parse_args(argv)
    if args.docs < 1 or args.sample < 1:
        p.error("--docs and --sample must be positive")
    return args


def _work_dir(args: argparse.Namespace) -> Path:
    if args.out_dir is None:
        return Path(tempfile.mkdtemp(prefix="congvan-bench-"))
    work = args.out_dir.resolve()
    if work == REPO or REPO in work.parents:
        sys.exit(f"bench: --out-dir {work} is inside the repository; the generated archive "
                 "quotes the dev texts and must stay outside it")
    work.mkdir(parents=True, exist_ok=True)
    if any(work.iterdir()):
        sys.exit(f"bench: --out-dir {work} is not empty")
    return work


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sources = [p.read_text(encoding="utf-8") for p in sorted(args.corpus.glob("*.txt"))]
    if not sources:
        sys.exit(f"bench: no .txt files in {args.corpus}")
    exe = congvan_exe()
    flags = run_flags(exe)
    work = _work_dir(args)
    res: dict = {"machine": machine(), "config": {"docs": args.docs, "workers": args.workers,
                                                  "sample": args.sample, "seed": args.seed,
                                                  "sources": len(sources)},
                 "notes": [], "runs": []}
    try:
        print(f"building {args.docs} documents from {len(sources)} texts in {work} ...", flush=True)
        arch = build_archive(work / "archive", args.docs, args.seed, sources, args.sample)
        res["archive"] = {"docs": arch.n_docs, "files": arch.n_files, "formats": arch.formats,
                          "distinct": arch.distinct, "text_mb": arch.text_bytes / MB,
                          "disk_mb": arch.disk_bytes / MB, "build_s": arch.seconds}
        print(f"  {arch.n_docs} documents in {arch.n_files} files, {arch.text_bytes / MB:.1f} MB "
              f"of text, {arch.disk_bytes / MB:.1f} MB on disk ({arch.seconds:.1f} s)", flush=True)
        workers = args.workers
        if "--workers" not in flags:
            res["notes"].append("this congvan run has no --workers flag: one run, single process")
            workers = workers[:1]
        for flag in ("--quiet", "--summary-json"):
            if flag not in flags:
                res["notes"].append(f"this congvan run has no {flag} flag: run without it")
        for w in workers:
            print(f"congvan run, {w} worker(s) ...", flush=True)
            res["runs"].append(run_pipeline(exe, flags, arch.root, work / f"out_w{w}", w,
                                            arch.text_bytes, arch.n_docs))
        print(f"timing stages over {len(arch.sample)} documents ...", flush=True)
        res["stages"] = stage_times(arch.sample)
        print("underthesea word_tokenize over the same documents ...", flush=True)
        res["word_tokenize"] = wt = word_tokenize_rate(arch.sample)
        res["ratios"] = {f"congvan run, {r['workers']} worker(s)": r["mb_per_s"] / wt["mb_per_s"]
                         for r in res["runs"]}
        res["ratios"]["extract in-process, 1 core"] = res["stages"]["mb_per_s"] / wt["mb_per_s"]
        if args.rss_scan:
            res["rss_scan"] = []
            for n in args.rss_scan:
                if n == args.docs and 1 in workers:  # the same archive was just run
                    r = next(r for r in res["runs"] if r["workers"] == 1)
                    res["rss_scan"].append({"docs": n, "text_mb": arch.text_bytes / MB, **r})
                    continue
                print(f"memory scan: {n} documents ...", flush=True)
                scan = build_archive(work / f"scan_{n}", n, args.seed, sources, 0)
                r = run_pipeline(exe, flags, scan.root, work / f"scan_out_{n}", 1,
                                 scan.text_bytes, scan.n_docs)
                res["rss_scan"].append({"docs": n, "text_mb": scan.text_bytes / MB, **r})
                shutil.rmtree(scan.root, ignore_errors=True)
                shutil.rmtree(work / f"scan_out_{n}", ignore_errors=True)
        res["mix"] = run_mix(args, exe, flags, work, workers)
        res["children_ru_maxrss_mb"] = _maxrss_bytes(
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / MB
    finally:
        if args.keep:
            print(f"work folder kept: {work}")
        elif args.out_dir is None:
            shutil.rmtree(work, ignore_errors=True)
        else:  # the folder is the user's (it was empty): remove only what we wrote
            for child in work.iterdir():
                shutil.rmtree(child) if child.is_dir() else child.unlink()
    print_report(res)
    if args.json:
        args.json.write_text(json.dumps(res, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"\nfigures written to {args.json}")
    return 0 if all(r["exit_code"] == 0 for r in res["runs"]) else 1


if __name__ == "__main__":
    sys.exit(main())
