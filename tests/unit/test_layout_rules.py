"""The house layout rules: short modules and pages, Streamlit only in mintqo/ui, a docstring everywhere."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from mintqo.config import PROJECT_ROOT

MAX_MODULE_LINES = 300
MAX_PAGE_LINES = 150


def _python_files(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (PROJECT_ROOT / folder).rglob("*.py"))


def _rel(path: Path) -> str:
    return path.relative_to(PROJECT_ROOT).as_posix()


def _lines(path: Path) -> int:
    return len(path.read_text("utf-8").splitlines())


def test_no_module_in_mintqo_is_over_300_lines():
    long = {_rel(p): n for p in _python_files("mintqo") if (n := _lines(p)) > MAX_MODULE_LINES}
    assert long == {}


def test_no_page_is_over_150_lines():
    long = {_rel(p): n for p in _python_files("pages") if (n := _lines(p)) > MAX_PAGE_LINES}
    assert long == {}


def _imports_streamlit(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "streamlit" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "streamlit":
            return True
    return False


def test_streamlit_is_imported_in_mintqo_only_by_mintqo_ui():
    ui = PROJECT_ROOT / "mintqo" / "ui"
    outside = [_rel(p) for p in _python_files("mintqo") if ui not in p.parents and _imports_streamlit(p)]
    assert outside == []


def _modules() -> list[object]:
    paths = [*_python_files("mintqo", "pages", "scripts", "bench"), PROJECT_ROOT / "app.py"]
    return [pytest.param(p, id=_rel(p)) for p in paths]


@pytest.mark.parametrize("path", _modules())
def test_every_module_starts_with_a_one_line_summary(path):
    source = path.read_text("utf-8")
    if path.name == "__init__.py" and not source.strip():
        return  # an empty package marker holds no code to describe
    doc = ast.get_docstring(ast.parse(source), clean=False)
    assert doc, f"{_rel(path)} has no module docstring"
    lines = doc.strip("\n").splitlines()
    assert len(lines) == 1 or not lines[1].strip(), f"{_rel(path)}: the summary is not one line"


def test_pages_end_a_run_through_page_end_stop_never_st_stop():
    """After st.stop() Streamlit sends nothing more: a chart page's sidebar, drawn after the page
    (page_end.sidebar_last), would be missing. page_end.stop() draws it first."""
    calls = []
    for path in [*_python_files("pages", "mintqo/ui"), PROJECT_ROOT / "app.py"]:
        if path.name == "page_end.py":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            stop = isinstance(node, ast.Attribute) and node.attr == "stop"
            if stop and getattr(node.value, "id", "") == "st":
                calls.append(f"{_rel(path)}:{node.lineno}")
    assert calls == []
