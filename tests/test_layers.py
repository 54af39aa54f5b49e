"""The layering newcomers can rely on: the extraction core never imports the
readers, the writer, the engines, the command line or the pages."""
from __future__ import annotations

import ast

from conftest import REPO

PACKAGE = REPO / "pipeline"
OUTER = {"read", "storage", "write", "browse", "serve", "snapshot", "parallel", "cli", "query", "export", "report", "render", "evaluate", "annotate"}


def _imports(module: str) -> set[str]:
    """The package's modules ``module`` imports (relative imports, as the package uses)."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            out |= {node.module} if node.module else {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom | ast.Import):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            assert not any(n.split(".")[0] in ("congvan", "pipeline") for n in names), \
                f"{module}.py imports the package by name: use a relative import"
    return {m for m in out if (PACKAGE / f"{m}.py").exists()}


def _reach(start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo.extend(_imports(module))
    return seen


def test_the_extraction_core_imports_no_reader_writer_engine_or_page() -> None:
    core = _reach("extract")
    assert {"segment", "find", "assign", "clean"} <= core  # the walk sees the stages
    assert not core & OUTER, sorted(core & OUTER)


def test_the_import_walk_sees_an_outer_module() -> None:
    assert "read" in _reach("cli") and "write" in _reach("cli")
