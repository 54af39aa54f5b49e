#!/usr/bin/env python3
"""Decode throughput: prints numbers, it is not a test.

Encodes the dev texts (../shared/corpus/dev, else data/raw) in each encoding
the reader meets, then times ``read_bytes`` on them (decode, control check and
legacy-font repair; no extraction) and ``clean``. MB is 10^6 input bytes.

    .venv/bin/python scripts/bench_decode.py --rounds 20
"""
from __future__ import annotations

import argparse
import sys
import time
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from congvan.clean import clean  # noqa: E402
from congvan.decode import to_cp1258, to_legacy  # noqa: E402
from congvan.read import read_bytes  # noqa: E402


def texts() -> list[str]:
    dev = REPO.parent / "shared" / "corpus" / "dev"
    folder = dev if dev.is_dir() else REPO / "data" / "raw"
    return [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]


ENCODERS = {
    "utf-8": lambda t: t.encode("utf-8"),
    "utf-8-sig": lambda t: t.encode("utf-8-sig"),
    "utf-16": lambda t: t.encode("utf-16"),
    "cp1258": lambda t: to_cp1258(t, errors="replace"),
    "tcvn3": lambda t: to_legacy(t, "tcvn3"),
    "vni": lambda t: to_legacy(t, "vni"),
}


def legacy_safe(text: str) -> str:
    """Keep the characters every legacy encoding has."""
    return "".join(ch for ch in text if ch.isascii() or ch.isalpha() or ch in "“”–…")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    docs = [legacy_safe(unicodedata.normalize("NFC", t)) for t in texts()]
    print(f"{len(docs)} texts, {sum(len(d.encode()) for d in docs) / 1e6:.2f} MB as UTF-8")
    for name, encoder in ENCODERS.items():
        blobs = [encoder(d) for d in docs]
        size = sum(map(len, blobs)) * args.rounds
        start = time.perf_counter()
        found = set()
        for _ in range(args.rounds):
            for blob in blobs:
                found.add(read_bytes("x.txt", blob).encoding)
        took = time.perf_counter() - start
        print(f"read {name:10} {size / took / 1e6:8.1f} MB/s   detected: {', '.join(sorted(found))}")
    size = sum(len(d.encode()) for d in docs) * args.rounds
    start = time.perf_counter()
    for _ in range(args.rounds):
        for d in docs:
            clean(d)
    print(f"clean            {size / (time.perf_counter() - start) / 1e6:8.1f} MB/s")


if __name__ == "__main__":
    main()
