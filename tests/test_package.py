"""congvan as users install it: a wheel built from this checkout, installed (not
editable) into a fresh environment, run from a folder that is not the checkout."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from conftest import RAW, REPO

BUILT_FROM = ("pyproject.toml", "README.md", "pipeline", "models")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of a copy of the checkout (a build in place would leave build/ and
    *.egg-info behind); the test environment's setuptools builds it, offline."""
    src = tmp_path_factory.mktemp("src")
    for name in BUILT_FROM:
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy2)(
            REPO / name, src / name, **({"ignore": shutil.ignore_patterns("__pycache__")}
                                        if (REPO / name).is_dir() else {}))
    out = tmp_path_factory.mktemp("wheels")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--no-index", "-q", "-w", str(out), str(src)], check=True)
    (built,) = out.glob("congvan-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh environment with the wheel installed; its dependencies come from the
    test environment's site-packages (a path entry, so the editable install of the
    checkout, which is a .pth hook there, is not seen)."""
    env = tmp_path_factory.mktemp("env")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    python = env / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "test_env_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                    "--no-index", "-q", str(wheel)], check=True)
    return env


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}


def test_the_wheel_carries_the_code_and_every_knowledge_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    knowledge = {p.name for p in (REPO / "models").iterdir() if p.suffix in (".tsv", ".txt")}
    assert knowledge and {f"congvan/data/{n}" for n in knowledge} <= names
    code = {"congvan/" + p.relative_to(REPO / "pipeline").as_posix() for p in (REPO / "pipeline").rglob("*.py")}
    assert {"congvan/extract.py", "congvan/formats/pdf.py"} <= code <= names  # every module, subpackages too
    assert not any(n.startswith(("pipeline/", "models/", "tests/")) for n in names)


def test_the_installed_command_extracts_a_dispatch_from_any_folder(installed: Path, tmp_path: Path) -> None:
    sample = tmp_path / "cv.txt"
    shutil.copy2(RAW / "s01.txt", sample)
    done = subprocess.run([str(installed / "bin" / "congvan"), "extract", str(sample)], cwd=tmp_path,
                          capture_output=True, text=True, env=_clean_env())
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout.splitlines()[0])["document"]
    assert document["symbol"] == "STTTT-TTBCXB" and document["issuer"] == "Sở Thông tin và Truyền thông"


def test_the_installed_package_is_the_wheels_not_the_checkouts(installed: Path, tmp_path: Path) -> None:
    code = ("import congvan, congvan.knowledge as k; "
            "print(congvan.__file__); print(k.data_file('doc_types.tsv'))")
    done = subprocess.run([str(installed / "bin" / "python"), "-c", code], cwd=tmp_path,
                          capture_output=True, text=True, env=_clean_env(), check=True)
    package, data = done.stdout.splitlines()
    assert Path(package).is_relative_to(installed) and Path(data).is_relative_to(installed)
    assert not Path(package).is_relative_to(REPO)
