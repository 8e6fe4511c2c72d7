"""The dependency direction of DESIGN.md, read from the source: ``domain`` imports nothing
of ours; ``channels`` and ``sqlmodel_db`` import only ``domain``; ``flows`` imports only
``domain``, ``channels`` and ``sqlmodel_db``; nothing below ``console`` imports
``console``. Every import counts, at the top of a module or inside a function."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OURS = {"domain", "channels", "sqlmodel_db", "flows", "console", "templates", "tests", "bench"}
MAY_IMPORT = {
    "domain": set(),
    "channels": {"domain"},
    "sqlmodel_db": {"domain"},
    "flows": {"domain", "channels", "sqlmodel_db"},
}


def _imported(path: Path, layer: str) -> list[tuple[int, str]]:
    """The packages of ours a module imports, with the line of each import."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: within its own package
                found.append((node.lineno, layer))
            elif node.module:
                found.append((node.lineno, node.module.split(".")[0]))
    return [(line, top) for line, top in found if top in OURS]


def _modules(layer: str) -> list[Path]:
    return sorted((ROOT / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", sorted(MAY_IMPORT))
def test_layer_imports_only_what_is_below_it(layer: str) -> None:
    allowed = MAY_IMPORT[layer] | {layer}
    modules = _modules(layer)
    assert modules, layer
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {top}"
        for path in modules
        for line, top in _imported(path, layer)
        if top not in allowed
    ]
    assert not wrong, "imports against DESIGN.md's dependency direction:\n" + "\n".join(wrong)


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    """The check itself fails when a flow imports the console, even inside a function."""
    module = tmp_path / "bad.py"
    module.write_text("def f():\n    from console import i18n\n    import flows.steps\n")
    assert _imported(module, "flows") == [(2, "console"), (3, "flows")]
